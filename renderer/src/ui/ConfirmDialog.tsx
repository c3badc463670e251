import { useEffect, useRef } from 'react';
import './confirmDialog.css';

/**
 * A modal question with two answers (the native <dialog>: focus stays inside, Esc answers "cancel"). The safe
 * answer (`cancelLabel`, e.g. "Keep editing") has the focus, so Enter never throws work away by accident.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}) {
  const { open, title, message, confirmLabel, cancelLabel, onConfirm, onCancel, testId } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={testId ? `${testId}-title` : undefined}
      onCancel={(e) => {
        // Esc: the safe answer; the dialog is closed by `open` turning false.
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={(e) => e.stopPropagation()}
      data-testid={testId}
    >
      {open && (
        <>
          <h2 id={testId ? `${testId}-title` : undefined}>{title}</h2>
          <p>{message}</p>
          <div className="confirm-actions">
            <button className="button secondary" onClick={onCancel} autoFocus data-testid={testId ? `${testId}-cancel` : undefined}>
              {cancelLabel}
            </button>
            <button className="button danger" onClick={onConfirm} data-testid={testId ? `${testId}-confirm` : undefined}>
              {confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
