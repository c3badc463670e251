import type { SaveStatus } from '../lib/useAutoSave';

const WORDS: Record<SaveStatus, string> = { idle: '', saving: 'Saving…', saved: '✓ Saved', failed: 'Not saved' };

/** What became of a field that saves itself; announced politely to screen readers. */
export function SaveState({ status, testId }: { status: SaveStatus; testId?: string }) {
  return (
    <span className={`save-state save-${status}`} role="status" aria-live="polite" data-testid={testId}>
      {WORDS[status]}
    </span>
  );
}
