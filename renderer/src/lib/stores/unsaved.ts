import { create } from 'zustand';

/** A piece of work that can be left unsaved (a cue track being edited, a setting not yet stored). */
export interface UnsavedWork {
  /** In a person's words, for the question: "cue changes", "the Stripe key you typed". */
  what: string;
  isDirty(): boolean;
  /** Throws the changes away (back to what is saved). */
  discard(): void;
  /** The address the work lives at (`settings`, `library/video/3`): moving within it keeps the work on screen, so it does not ask. */
  place?: string;
}

interface Pending {
  what: string;
  proceed(): void;
  stay(): void;
}

const works = new Map<string, UnsavedWork>();

/** Registers work that must not be thrown away silently; returns the unregister. */
export function registerUnsaved(id: string, work: UnsavedWork): () => void {
  works.set(id, work);
  return () => {
    if (works.get(id) === work) works.delete(id);
  };
}

/** Unsaved work, or only the work that going to `place` would leave behind. */
export function dirtyWork(goingTo?: string): UnsavedWork[] {
  const stays = (w: UnsavedWork) => goingTo !== undefined && w.place !== undefined && (goingTo === w.place || goingTo.startsWith(`${w.place}/`));
  return [...works.values()].filter((w) => w.isDirty() && !stays(w));
}

/** The question on screen, if any (the app shows it as a dialog: Keep editing / Discard). */
export const useUnsaved = create<{ pending: Pending | null }>(() => ({ pending: null }));

/**
 * Runs `proceed` at once when nothing is unsaved; otherwise asks first. Discard throws the changes away, then
 * proceeds; Keep editing runs `stay` (e.g. to put the address back) and leaves everything as it was.
 */
export function whenSaved(proceed: () => void, stay: () => void = () => undefined, goingTo?: string): void {
  const dirty = dirtyWork(goingTo);
  if (dirty.length === 0) return proceed();
  useUnsaved.setState({
    pending: {
      what: dirty.map((w) => w.what).join(' and '),
      proceed: () => {
        useUnsaved.setState({ pending: null });
        for (const w of dirtyWork(goingTo)) w.discard();
        proceed();
      },
      stay: () => {
        useUnsaved.setState({ pending: null });
        stay();
      },
    },
  });
}

// Closing the tab or reloading: the browser's own question (it shows its own words).
window.addEventListener('beforeunload', (e) => {
  if (dirtyWork().length > 0) e.preventDefault();
});
