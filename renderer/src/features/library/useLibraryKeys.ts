import type { Virtualizer } from '@tanstack/react-virtual';
import { useEffect } from 'react';
import { isTypingTarget } from '../../lib/keys';
import { whenSaved } from '../../lib/stores/unsaved';
import { applyClick } from './selection';
import { useLibrary } from './store';

/**
 * Library keys: J/K and arrows move, Home/End go to the ends, Shift extends, X (and Space on a focused item)
 * toggles, Enter opens, Ctrl+A selects, Q queues, G switches view; on the video page, Esc or Backspace goes back.
 * `columns` is the grid's, so Up/Down move a row.
 */
export function useLibraryKeys(columns: number, virtualizer: Virtualizer<HTMLDivElement, Element>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.altKey || document.querySelector('.overlay')) return;
      const s0 = useLibrary.getState();
      // The video page has its own keys; Esc (or Backspace) goes back to the grid as it was.
      if (s0.pageId !== null) {
        if (e.key === 'Escape' || e.key === 'Backspace') {
          e.preventDefault();
          // Unsaved cues ask first (Keep editing / Discard).
          whenSaved(() => useLibrary.getState().closePage());
        }
        return;
      }
      // Keys inside the detail pane (player, cue editor) belong to it.
      if (e.target instanceof Element && e.target.closest('.lib-detail')) return;
      const s = useLibrary.getState();
      const mod = e.ctrlKey || e.metaKey;
      const count = s.total ?? 0;
      if (mod && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        const ids = new Set<number>();
        for (const p of s.pages.values()) for (const it of p.items) ids.add(it.id);
        s.setSelection(ids, 0);
        return;
      }
      if (mod) return;
      // Enter and Space on a control (a toolbar button, a card's star) are that control's.
      const onControl = e.target instanceof Element && e.target.closest('button, a, select, summary, [role="radio"]') !== null;
      const step: Record<string, number> = { j: 1, J: 1, k: -1, K: -1, ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
      const jump: Record<string, number> = { Home: 0, End: count - 1 };
      const onItem = e.target instanceof Element && e.target.closest('[data-testid="lib-results"]') !== null;
      if (((e.key in step) || (onItem && e.key in jump)) && count) {
        e.preventDefault();
        const from = s.cursor ?? -1;
        const to = e.key in jump ? jump[e.key]! : Math.min(count - 1, Math.max(0, from < 0 ? 0 : from + step[e.key]!));
        s.setCursor(to);
        virtualizer.scrollToIndex(Math.floor(to / columns), { align: 'auto' });
        const item = s.itemAt(to);
        if (item) {
          if (e.shiftKey) {
            const next = applyClick({ selected: s.selected, anchor: s.anchor ?? from }, 'range-add', to, item.id, (i) => s.itemAt(i)?.id);
            s.setSelection(next.selected, next.anchor);
          } else if (s.openId !== null) {
            // With the detail pane open, next/prev shows the next/prev video in it.
            s.open(item.id);
          }
        }
        return;
      }
      const current = s.cursor !== null ? s.itemAt(s.cursor) : undefined;
      if ((e.key === 'Enter' || e.key === ' ') && onControl) return;
      if (e.key === ' ' && onItem && current) {
        e.preventDefault(); // not a page scroll: Space checks the focused item, as in a file manager
        const next = applyClick({ selected: s.selected, anchor: s.anchor }, 'toggle', s.cursor!, current.id, () => undefined);
        s.setSelection(next.selected, next.anchor);
      } else if (e.key === 'Enter' && current) {
        e.preventDefault();
        s.openPage(current.id);
      } else if ((e.key === 'x' || e.key === 'X') && current) {
        e.preventDefault();
        const next = applyClick({ selected: s.selected, anchor: s.anchor }, 'toggle', s.cursor!, current.id, () => undefined);
        s.setSelection(next.selected, next.anchor);
      } else if (e.key === 'q' || e.key === 'Q') {
        e.preventDefault();
        if (!s.selected.size && current) s.setSelection(new Set([current.id]), s.cursor);
        requestAnimationFrame(() => document.querySelector<HTMLSelectElement>('[data-queue-preset]')?.focus());
      } else if (e.key === 'g' || e.key === 'G') {
        e.preventDefault();
        s.setView(s.view === 'grid' ? 'list' : 'grid');
      } else if (e.key === 'Escape') {
        if (s.openId !== null) s.open(null);
        else if (s.selected.size) s.setSelection(new Set(), null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [columns, virtualizer]);
}
