import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { VideoSummary } from '../../../../shared/dto/library';
import { useSettings } from '../../lib/stores/settings';
import { isTypingTarget } from '../../lib/keys';
import { applyClick, clickKind } from './selection';
import { useLibrary } from './store';
import { SkeletonCard, VideoCard } from './VideoCard';
import { ListHeader, SkeletonRow, VideoRow } from './VideoRow';

const GAP = 14;
const INFO_HEIGHT = 58;
const LIST_ROW = 60;

/** Card geometry from the available width: as many columns as fit the density's minimum card width. */
function gridGeometry(width: number, compact: boolean) {
  const min = compact ? 168 : 228;
  const columns = Math.max(1, Math.floor((width + GAP) / (min + GAP)));
  const cardWidth = (width - GAP * (columns - 1)) / columns;
  return { columns, cardWidth, rowHeight: Math.round((cardWidth * 9) / 16 + INFO_HEIGHT + GAP) };
}

/**
 * The result set, virtualized: only the rows in view (plus a small overscan) exist in the DOM, and pages of
 * rows are fetched as they come into view, so 100,000 items scroll like 100.
 */
export function Results() {
  const total = useLibrary((s) => s.total) ?? 0;
  const view = useLibrary((s) => s.view);
  const pages = useLibrary((s) => s.pages);
  const selected = useLibrary((s) => s.selected);
  const cursor = useLibrary((s) => s.cursor);
  const resultsQuery = useLibrary((s) => s.resultsQuery);
  const gen = useLibrary((s) => s.gen);
  const compact = useSettings((s) => s.prefs?.density === 'compact');
  const scrub = useSettings((s) => !s.prefs?.reduceMotion);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // The scrollbar takes part of the width; clientWidth excludes it.
    const measure = () => setWidth(el.clientWidth - 2 * 20);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const geo = gridGeometry(Math.max(width, 200), compact);
  const columns = view === 'grid' ? geo.columns : 1;
  const rowCount = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => (view === 'grid' ? geo.rowHeight : LIST_ROW),
    overscan: view === 'grid' ? 2 : 6,
    paddingStart: view === 'grid' ? 16 : 0,
    paddingEnd: 16,
  });
  // Geometry changes (resize, density, view) change every row's size.
  useEffect(() => virtualizer.measure(), [virtualizer, geo.rowHeight, view, columns]);

  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows.at(-1)?.index ?? 0;
  useEffect(() => {
    useLibrary.getState().ensureRange(firstRow * columns, (lastRow + 1) * columns - 1);
  }, [firstRow, lastRow, columns, total, gen]);

  // The video page covers the grid; Back puts the grid's scroll back exactly where it was (the browser may move
  // it meanwhile, e.g. anchoring while the grid is inert under the page). Saved before React re-renders.
  useEffect(() => {
    let saved = 0;
    return useLibrary.subscribe((s, prev) => {
      const el = scroller.current;
      if (!el) return;
      if (s.pageId !== null && prev.pageId === null) saved = el.scrollTop;
      if (s.pageId === null && prev.pageId !== null) requestAnimationFrame(() => el.scrollTo({ top: saved }));
    });
  }, []);

  // A new result set starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [resultsQuery]);

  const itemAt = useLibrary((s) => s.itemAt);
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

  // Library keys: J/K and arrows move, Shift extends, X toggles, Enter opens, Ctrl+A selects, Q queues, G switches view.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.altKey || document.querySelector('.overlay')) return;
      const s0 = useLibrary.getState();
      // The video page has its own keys; Esc (or Backspace) goes back to the grid as it was.
      if (s0.pageId !== null) {
        if (e.key === 'Escape' || e.key === 'Backspace') {
          e.preventDefault();
          s0.closePage();
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
      const step: Record<string, number> = { j: 1, J: 1, k: -1, K: -1, ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
      if (e.key in step && count) {
        e.preventDefault();
        const from = s.cursor ?? -1;
        const to = Math.min(count - 1, Math.max(0, from < 0 ? 0 : from + step[e.key]!));
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
      if (e.key === 'Enter' && current) {
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

  void pages; // re-render when pages arrive (itemAt reads them)
  return (
    <div className={`lib-scroller lib-${view}`} ref={scroller} role="listbox" aria-multiselectable="true" aria-label="Videos" data-testid="lib-results" data-results-query={resultsQuery} data-total={total}>
      {view === 'list' && <ListHeader />}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => {
          const start = row.index * columns;
          const cells = [];
          for (let i = start; i < Math.min(start + columns, total); i++) {
            const item = itemAt(i);
            if (view === 'grid') {
              cells.push(
                item ? (
                  <VideoCard key={item.id} item={item} index={i} selected={selected.has(item.id)} current={cursor === i} scrub={scrub} onClick={onClick} onOpen={onOpen} onCheck={onCheck} />
                ) : (
                  <SkeletonCard key={`s${i}`} />
                ),
              );
            } else {
              cells.push(
                item ? <VideoRow key={item.id} item={item} index={i} selected={selected.has(item.id)} current={cursor === i} onClick={onClick} onOpen={onOpen} /> : <SkeletonRow key={`s${i}`} />,
              );
            }
          }
          return (
            <div
              key={row.key}
              className={view === 'grid' ? 'lib-grid-row' : 'lib-list-row'}
              style={{
                transform: `translateY(${row.start}px)`,
                height: row.size,
                ...(view === 'grid' ? { gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: GAP, paddingBottom: GAP } : {}),
              }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}
