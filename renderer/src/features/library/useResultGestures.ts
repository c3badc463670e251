import { useCallback, useEffect } from 'react';
import type { VideoSummary } from '../../../../shared/dto/library';
import { applyClick, clickKind } from './selection';
import { useLibrary } from './store';

/**
 * Opening the quick pane narrows the grid, so a card's second click would land elsewhere. While the pane is shut,
 * a plain click waits this long for a second one before opening it: the grid does not move under a double-click.
 */
export const PANE_DELAY_MS = 300;

/** The last plain click on a result: a second click near it is that result's double-click, wherever it lands. */
let lastClick: { id: number; x: number; y: number } | null = null;
let paneTimer: ReturnType<typeof setTimeout> | null = null;

function cancelPane() {
  if (paneTimer) clearTimeout(paneTimer);
  paneTimer = null;
}

/** What a click, the check mark and a double-click on a result do (stable callbacks, so cards do not re-render). */
export function useResultGestures() {
  const onClick = useCallback((e: React.MouseEvent, index: number, item: VideoSummary) => {
    const s = useLibrary.getState();
    const kind = clickKind(e);
    s.setCursor(index);
    // Open and select are different gestures, as in a file manager: a plain click opens (the selection stays,
    // and a later Shift-click ranges from here); the check mark, Ctrl-click and Shift-click select.
    if (kind === 'plain') {
      if (e.detail > 1) return; // the second click of a double-click: the page opens instead
      lastClick = { id: item.id, x: e.clientX, y: e.clientY };
      s.setSelection(s.selected, index);
      cancelPane();
      if (s.openId !== null) s.open(item.id);
      else paneTimer = setTimeout(() => ((paneTimer = null), useLibrary.getState().open(item.id)), PANE_DELAY_MS);
      return;
    }
    const next = applyClick({ selected: s.selected, anchor: s.anchor }, kind, index, item.id, (i) => s.itemAt(i)?.id);
    s.setSelection(next.selected, next.anchor);
  }, []);
  const onCheck = useCallback((index: number, item: VideoSummary) => {
    const s = useLibrary.getState();
    const next = applyClick({ selected: s.selected, anchor: s.anchor }, 'toggle', index, item.id, () => undefined);
    s.setSelection(next.selected, next.anchor);
    s.setCursor(index);
  }, []);
  // Double-click (and Enter) opens the video page; a click opens the quick pane beside the grid.
  const onOpen = useCallback((item: VideoSummary) => {
    cancelPane();
    lastClick = null;
    useLibrary.getState().openPage(item.id);
  }, []);
  useDoubleClickAnywhere();
  useEffect(() => cancelPane, []);
  return { onClick, onCheck, onOpen };
}

/**
 * A double-click whose second click found the grid moved (the pane opened in between on a slow double-click)
 * still opens the first click's video: the second press is matched by place, as the system matched it.
 */
function useDoubleClickAnywhere() {
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const first = lastClick;
      if (e.detail !== 2 || e.button !== 0 || !first) return;
      if (Math.abs(e.clientX - first.x) > 6 || Math.abs(e.clientY - first.y) > 6) return;
      const onResult = e.target instanceof Element && e.target.closest(`[data-testid="lib-item"][data-id="${first.id}"]`);
      if (onResult) return; // the card's own double-click handles it
      e.preventDefault();
      e.stopPropagation();
      cancelPane();
      lastClick = null;
      useLibrary.getState().openPage(first.id);
    };
    window.addEventListener('mousedown', onDown, true);
    return () => window.removeEventListener('mousedown', onDown, true);
  }, []);
}
