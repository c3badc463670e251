import { useEffect, useRef, useState } from 'react';
import { registerUnsaved } from './stores/unsaved';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

/**
 * A setting that saves itself as it changes: each valid value is sent at once (no Save button); an invalid one
 * is told under the field in the UI's words and kept on screen, counted as unsaved work (leaving asks first).
 * The field follows the saved value when it changes elsewhere, unless the owner is mid-edit.
 */
export function useAutoSave<T>(opts: {
  /** For the unsaved-work registry: one per field. */
  id: string;
  /** How the question names it: "the Jobs at once setting". */
  what: string;
  /** Where the field lives (`settings`): moving within it does not ask. */
  place?: string;
  saved: T;
  toText(v: T): string;
  parse(text: string): { value: T } | { error: string };
  save(v: T): Promise<boolean>;
}) {
  const { id, what, place, saved, toText, parse, save } = opts;
  const savedText = toText(saved);
  const [text, setText] = useState(savedText);
  const [status, setStatus] = useState<SaveStatus>('idle');
  const shownSaved = useRef(savedText);
  useEffect(() => {
    // A save from elsewhere (another window, the CLI) shows here unless the field holds an edit of its own.
    if (text === shownSaved.current) setText(savedText);
    shownSaved.current = savedText;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new saved value moves the field
  }, [savedText]);
  const parsed = parse(text);
  const error = 'error' in parsed ? parsed.error : null;
  const current = useRef({ text, savedText, error });
  current.current = { text, savedText, error };
  // A valid value is saved as it is typed, so only an invalid one is work that could be lost.
  useEffect(() => registerUnsaved(id, { what, place, isDirty: () => current.current.error !== null, discard: () => setText(current.current.savedText) }), [id, what, place]);
  const change = (next: string) => {
    setText(next);
    const p = parse(next);
    if ('error' in p || next === savedText) return;
    setStatus('saving');
    void save(p.value).then((ok) => setStatus(ok ? 'saved' : 'failed'));
  };
  return { text, change, error, status };
}
