import { useUnsaved } from '../lib/stores/unsaved';
import { ConfirmDialog } from './ConfirmDialog';

/** Asks before unsaved work is left behind (lib/stores/unsaved: whenSaved). */
export function UnsavedDialog() {
  const pending = useUnsaved((s) => s.pending);
  return (
    <ConfirmDialog
      open={pending !== null}
      title="Discard unsaved changes?"
      message={pending ? `You have unsaved ${pending.what}. Leaving now throws them away.` : ''}
      confirmLabel="Discard"
      cancelLabel="Keep editing"
      onConfirm={() => pending?.proceed()}
      onCancel={() => pending?.stay()}
      testId="unsaved-dialog"
    />
  );
}
