import { useCallback } from 'react';
import type { VideoSummary } from '../../../../shared/dto/library';
import { applyClick, clickKind } from './selection';
import { useLibrary } from './store';

/** What a click, the check mark and a double-click on a result do (stable callbacks, so cards do not re-render). */
export function useResultGestures() {
  const onClick = useCallback((e: React.MouseEvent, index: number, item: VideoSummary) => {
    const s = useLibrary.getState();
    const kind = clickKind(e);
    s.setCursor(index);
    // Open and select are different gestures, as in a file manager: a plain click opens (the selection stays,
    // and a later Shift-click ranges from here); the check mark, Ctrl-click and Shift-click select.
    if (kind === 'plain') {
      s.setSelection(s.selected, index);
      s.open(item.id);
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
  const onOpen = useCallback((item: VideoSummary) => useLibrary.getState().openPage(item.id), []);
  return { onClick, onCheck, onOpen };
}
