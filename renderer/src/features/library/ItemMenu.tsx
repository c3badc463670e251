import { useCallback, useEffect, useState } from 'react';
import type { VideoSummary } from '../../../../shared/dto/library';
import { call } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';
import { ContextMenu, type MenuEntry } from '../../ui/ContextMenu';
import { usePlaces } from './places';
import { useLibrary } from './store';

interface Open {
  item: VideoSummary;
  x: number;
  y: number;
}

const ITEM = '.lib-scroller [data-testid="lib-item"]';

/** The loaded video a card or row element shows. */
function itemOf(el: Element | null): VideoSummary | null {
  const id = Number(el?.closest(ITEM)?.getAttribute('data-id'));
  if (!id) return null;
  for (const p of useLibrary.getState().pages.values()) for (const it of p.items) if (it.id === id) return it;
  return null;
}

/** Starts the video once the page's player is there (the page loads its player on first open). */
function playWhenShown(): void {
  const tryPlay = () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="video-page"] video');
    if (!video) return false;
    void video.play().catch(() => undefined);
    return true;
  };
  if (tryPlay()) return;
  const watch = new MutationObserver(() => tryPlay() && watch.disconnect());
  watch.observe(document.body, { childList: true, subtree: true });
  // The page may never come (closed at once): stop watching with it.
  const off = useLibrary.subscribe((s) => {
    if (s.pageId === null) {
      watch.disconnect();
      off();
    }
  });
}

async function addTo(item: VideoSummary, c: { id: number; name: string }) {
  try {
    await call('library.bulkUpdate', { ids: [item.id], addToCollectionId: c.id });
    useToasts.getState().push({ level: 'success', message: `“${item.title}” added to “${c.name}”.` });
  } catch {
    // call() showed why
  }
}

async function remove(item: VideoSummary) {
  if (!window.confirm(`Remove “${item.title}” from the library?\n\nIts tags, rating, notes and thumbnails are forgotten; the file on disk is not touched, and importing it again brings it back.`)) return;
  try {
    await call('library.remove', { ids: [item.id] });
    useToasts.getState().push({ level: 'success', message: `“${item.title}” removed from the library (the file is still on disk).` });
    useLibrary.getState().refresh();
  } catch {
    // call() showed why
  }
}

function entriesFor(item: VideoSummary): MenuEntry[] {
  const lib = useLibrary.getState();
  const collections = usePlaces.getState().collections;
  const stars = (n: number) => `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;
  return [
    { label: 'Open', onSelect: () => lib.openPage(item.id), testId: 'menu-open' },
    { label: 'Play', onSelect: () => (lib.openPage(item.id), playWhenShown()), testId: 'menu-play' },
    { label: 'Show in the quick pane', onSelect: () => lib.open(item.id), testId: 'menu-pane' },
    null,
    ...collections.map((c) => ({ label: `Add to “${c.name}”`, onSelect: () => void addTo(item, c), testId: `menu-collect-${c.id}` })),
    ...(collections.length ? [null] : []),
    {
      label: 'Transcode… (queue a job)',
      testId: 'menu-queue',
      onSelect: () => {
        lib.setSelection(new Set([item.id]), null);
        requestAnimationFrame(() => document.querySelector<HTMLSelectElement>('[data-queue-preset]')?.focus());
      },
    },
    null,
    ...[5, 4, 3, 2, 1].map((n) => ({ label: `Rate ${stars(n)}`, onSelect: () => void lib.curate(item.id, { rating: n }), testId: `menu-rate-${n}`, disabled: item.rating === n })),
    { label: 'Clear the rating', onSelect: () => void lib.curate(item.id, { rating: 0 }), testId: 'menu-rate-0', disabled: item.rating === 0 },
    null,
    { label: 'Remove from library…', onSelect: () => void remove(item), danger: true, testId: 'menu-remove' },
  ];
}

/**
 * The context menu of a card or list row: right-click, or Shift+F10 / the menu key on the focused card (or the
 * keyboard cursor's). Listens on the document, so the cards and rows need nothing of their own.
 */
export function ItemMenu() {
  const [open, setOpen] = useState<Open | null>(null);
  const close = useCallback(() => setOpen(null), []);

  useEffect(() => {
    const onContextMenu = (e: MouseEvent) => {
      const item = itemOf(e.target as Element);
      if (!item) return;
      e.preventDefault();
      setOpen({ item, x: e.clientX, y: e.clientY });
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'ContextMenu' && !(e.shiftKey && e.key === 'F10')) return;
      const s = useLibrary.getState();
      let item = itemOf(document.activeElement);
      if (!item && s.cursor !== null) item = s.itemAt(s.cursor) ?? null;
      if (!item || s.pageId !== null) return;
      const el = document.querySelector(`${ITEM}[data-id="${item.id}"]`);
      if (!el) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      setOpen({ item, x: r.left + Math.min(24, r.width / 2), y: r.top + Math.min(24, r.height / 2) });
    };
    document.addEventListener('contextmenu', onContextMenu);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('contextmenu', onContextMenu);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  if (!open) return null;
  return <ContextMenu x={open.x} y={open.y} label={`Actions for ${open.item.title}`} entries={entriesFor(open.item)} onClose={close} />;
}
