import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useSettings } from '../../lib/stores/settings';
import { useLibrary } from './store';
import { useLibraryKeys } from './useLibraryKeys';
import { useResultGestures } from './useResultGestures';
import { useRovingTabStop } from './useRovingTabStop';
import { SkeletonCard, VideoCard } from './VideoCard';
import { ListHeader } from './ListHeader';
import { LIST_COLUMNS, SkeletonRow, VideoRow } from './VideoRow';

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
  const { onClick, onCheck, onOpen } = useResultGestures();

  useLibraryKeys(columns, virtualizer);
  const { stop, onFocusItem, listProps } = useRovingTabStop(scroller, { first: firstRow * columns, end: Math.min(total, (lastRow + 1) * columns) }, cursor, (i) => itemAt(i) !== undefined);
  void pages; // re-render when pages arrive (itemAt reads them)
  return (
    <div className="lib-results-col">
      {view === 'list' && <ListHeader columnsClass={LIST_COLUMNS} />}
    <div
      className={`lib-scroller lib-${view}`}
      ref={scroller}
      {...listProps}
      role="grid"
      aria-multiselectable="true"
      aria-label="Videos"
      data-testid="lib-results"
      data-results-query={resultsQuery}
      data-total={total}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => {
          const start = row.index * columns;
          const cells = [];
          for (let i = start; i < Math.min(start + columns, total); i++) {
            const item = itemAt(i);
            if (view === 'grid') {
              cells.push(
                item ? (
                  <VideoCard key={item.id} item={item} index={i} selected={selected.has(item.id)} current={cursor === i} tabStop={stop === i} scrub={scrub} onClick={onClick} onOpen={onOpen} onCheck={onCheck} onFocusItem={onFocusItem} />
                ) : (
                  <SkeletonCard key={`s${i}`} />
                ),
              );
            } else {
              cells.push(
                item ? <VideoRow key={item.id} item={item} index={i} selected={selected.has(item.id)} current={cursor === i} tabStop={stop === i} onClick={onClick} onOpen={onOpen} onFocusItem={onFocusItem} /> : <SkeletonRow key={`s${i}`} />,
              );
            }
          }
          return (
            <div
              key={row.key}
              className={view === 'grid' ? 'lib-grid-row' : 'lib-list-row'}
              // A grid row's cards are its cells; in the list each item is a row of its own.
              role={view === 'grid' ? 'row' : 'none'}
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
    </div>
  );
}
