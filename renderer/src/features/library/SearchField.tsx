import { useEffect, useRef, useState } from 'react';
import { MOD } from '../../lib/keys';
import { useLibrary } from './store';

/** Quiet time after which a burst of keystrokes is sent as one query. */
const DEBOUNCE_MS = 120;

/**
 * Search as you type. A keystroke after a pause is sent at once (so a single key answers as fast as the FTS
 * does); keystrokes in quick succession are coalesced and only the last text is sent when typing pauses.
 * Answers to superseded queries are dropped by the store.
 */
export function SearchField() {
  const committed = useLibrary((s) => s.query.filters.query ?? '');
  const [text, setText] = useState(committed);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastSent = useRef(0);

  useEffect(() => setText(committed), [committed]);
  const pending = useRef<string | null>(null);
  // Leaving the screen mid-debounce still applies the last text (e.g. a cleared field stays cleared).
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (pending.current !== null) send(pending.current);
    },
    [],
  );

  function send(q: string) {
    pending.current = null;
    const next = q.trim() || undefined;
    // A space or a trailing blank does not change the search: no request, no new result set.
    if (next === useLibrary.getState().query.filters.query) return;
    lastSent.current = performance.now();
    useLibrary.getState().setFilters({ query: next });
  }

  const onChange = (q: string) => {
    setText(q);
    if (timer.current) clearTimeout(timer.current);
    if (performance.now() - lastSent.current > DEBOUNCE_MS) send(q);
    else {
      pending.current = q;
      timer.current = setTimeout(() => send(q), DEBOUNCE_MS);
    }
  };

  return (
    <label className="lib-search">
      <span className="lib-search-icon" aria-hidden>
        ⌕
      </span>
      <input
        data-search
        data-testid="lib-search"
        type="search"
        placeholder="Search titles, files, tags, notes…"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            if (text) onChange('');
            else e.currentTarget.blur();
          } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
            e.currentTarget.blur();
          }
        }}
        aria-label="Search the library"
      />
      <kbd className="lib-search-kbd">{MOD}+K</kbd>
    </label>
  );
}
