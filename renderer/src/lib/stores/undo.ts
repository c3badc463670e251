import { create } from 'zustand';
import { isTypingTarget } from '../keys';
import { useToasts } from './toasts';

/** One change the owner can take back: what it did, in words, and how to restore what was there before. */
export interface UndoEntry {
  /** "3 videos untagged “candle”." — shown in the toast, and after "Undone:" when taken back. */
  message: string;
  undo(): Promise<void>;
}

interface UndoState {
  entries: (UndoEntry & { id: number })[];
  /** Records a change that has just been made and tells the owner, with an Undo button in the toast. */
  record(entry: UndoEntry): void;
  /** Takes back the latest change (Ctrl+Z), or the one given (its toast's Undo). False when there was none. */
  undo(id?: number): Promise<boolean>;
}

/** Changes kept for Ctrl+Z; older ones fall off. */
const KEEP = 20;
let nextId = 1;

/**
 * Undo for curation (tags, rating, favourite, tier, bulk edits): each change records how to restore the values it
 * replaced. An entry is taken back once: from its toast's Undo or by Ctrl+Z, newest first.
 */
export const useUndo = create<UndoState>((set, get) => ({
  entries: [],
  record: (entry) => {
    const id = nextId++;
    set({ entries: [...get().entries.slice(-(KEEP - 1)), { ...entry, id }] });
    useToasts.getState().push({ level: 'success', message: entry.message, action: { label: 'Undo', run: () => void get().undo(id) } });
  },
  undo: async (id) => {
    const entries = get().entries;
    const entry = id === undefined ? entries.at(-1) : entries.find((e) => e.id === id);
    if (!entry) return false;
    set({ entries: entries.filter((e) => e !== entry) });
    try {
      await entry.undo();
      useToasts.getState().push({ level: 'info', message: `Undone: ${entry.message}` });
    } catch {
      // the call that failed told the owner why
    }
    return true;
  },
}));

/** Ctrl+Z (⌘Z) takes back the latest curation change, except in a text field, where it undoes typing. */
export function listenForUndoKey(): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z' || isTypingTarget(e.target)) return;
    if (!useUndo.getState().entries.length) return;
    e.preventDefault();
    void useUndo.getState().undo();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
