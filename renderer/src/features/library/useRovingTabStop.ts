import { useCallback, useEffect, type RefObject } from 'react';
import { useLibrary } from './store';

/**
 * The results' roving tab stop: one item is in the Tab order — the current one, else the first in view — and the
 * arrows move inside. When that item is scrolled out of the (virtualized) DOM, the list itself is the stop and
 * hands focus to the first item in view. While focus is in the list it follows the cursor to the new item.
 */
export function useRovingTabStop(scroller: RefObject<HTMLDivElement | null>, range: { first: number; end: number }, cursor: number | null, loaded: (index: number) => boolean) {
  const stop = cursor ?? range.first;
  const stopRendered = stop >= range.first && stop < range.end && loaded(stop);
  const onFocusItem = useCallback((index: number) => {
    if (useLibrary.getState().cursor !== index) useLibrary.getState().setCursor(index);
  }, []);
  useEffect(() => {
    const el = scroller.current;
    if (cursor === null || !el || !el.contains(document.activeElement)) return;
    el.querySelector<HTMLElement>(`[data-index="${cursor}"]`)?.focus({ preventScroll: true });
  });
  const listProps = {
    tabIndex: stopRendered ? -1 : 0,
    onFocus: (e: React.FocusEvent<HTMLDivElement>) => {
      if (e.target === e.currentTarget) e.currentTarget.querySelector<HTMLElement>(`[data-index="${range.first}"]`)?.focus();
    },
  };
  return { stop, onFocusItem, listProps };
}
