import { create } from 'zustand';
import type { ImportProgress, ImportSummary, LibraryFilters, LibrarySort, LibraryTag, VideoSummary } from '../../../../shared/dto/library';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import { useNav } from '../../lib/stores/nav';
import { useToasts } from '../../lib/stores/toasts';
import { call, CallError, subscribe } from '../../lib/api';
import { evictFarPages, refreshMode } from './pageWindow';

/** Rows per fetch. 120 divides evenly into 2–8 grid columns, so a page fills whole rows. */
export const PAGE_SIZE = 120;
export type ViewMode = 'grid' | 'list';
/** How long a result set must stay current (typing paused) before its matches are counted. */
const COUNT_DELAY_MS = 500;
/** Page requests in flight at once while scrolling. */
const MAX_PAGE_FETCHES = 2;

export interface LibraryQuery {
  filters: LibraryFilters;
  sort: LibrarySort;
  order: 'asc' | 'desc';
}

interface Page {
  /** The generation it was fetched for; older ones are shown until their refresh arrives (no flicker). */
  gen: number;
  items: VideoSummary[];
}

interface LibraryState {
  query: LibraryQuery;
  /** Rows matching the query; null before the first answer. */
  total: number | null;
  /** False while the count of a new result set is still coming (total is then what is known so far). */
  totalExact: boolean;
  /** The search text the shown results answer (the field may be ahead of it while a query runs). */
  resultsQuery: string;
  pages: Map<number, Page>;
  /** Bumped by every new query or refresh; answers for an older one are dropped or marked stale. */
  gen: number;
  loading: boolean;
  error: string | null;
  view: ViewMode;
  selected: ReadonlySet<number>;
  anchor: number | null;
  /** Keyboard cursor (J/K, arrows), an index into the results. */
  cursor: number | null;
  openId: number | null;
  /** The video shown on its own page (over the grid, which stays mounted: Back finds its scroll and selection). */
  pageId: number | null;
  /** The quick pane that was open when the page opened; Back reopens it. */
  paneBeforePage: number | null;
  importProgress: ImportProgress | null;
  lastImport: ImportSummary | null;
  tags: LibraryTag[];
  presets: PresetInfo[];

  setQuery(patch: Partial<LibraryQuery>): void;
  setFilters(patch: Partial<LibraryFilters>): void;
  clearFilters(): void;
  ensureRange(first: number, last: number): void;
  refresh(): void;
  itemAt(index: number): VideoSummary | undefined;
  setView(v: ViewMode): void;
  setSelection(selected: ReadonlySet<number>, anchor: number | null): void;
  setCursor(i: number | null): void;
  open(id: number | null): void;
  openPage(id: number): void;
  closePage(): void;
  importPaths(paths: string[]): Promise<ImportSummary | null>;
  cancelImport(): Promise<void>;
  bulk(edit: { addTags?: string[]; removeTags?: string[]; rating?: number; tier?: VideoSummary['tier']; favourite?: boolean }): Promise<void>;
  /** One job per selected video; params (e.g. chunkSeconds) override the preset's own for these jobs. */
  queue(preset: string, params?: { chunkSeconds: number | null }): Promise<void>;
  /** Rating or favourite of one video (card, list row, video page). */
  curate(id: number, patch: { rating?: number; favourite?: boolean }): Promise<void>;
  loadTags(): Promise<void>;
  loadPresets(): Promise<void>;
  init(): () => void;
}

const VIEW_KEY = 'church.library.view';
const savedView = (): ViewMode => (localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'grid');

/** The filters with empty values dropped, so "no filter" is `{}` and the request stays small. */
export function cleanFilters(f: LibraryFilters): LibraryFilters {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as LibraryFilters;
}

export function hasFilters(f: LibraryFilters): boolean {
  return Object.keys(cleanFilters(f)).length > 0;
}

const inFlight = new Set<string>();

/** The pages [first, last] the rows first..last fall on. */
const pageSpan = ([first, last]: [number, number]): [number, number] => [Math.floor(Math.max(first, 0) / PAGE_SIZE), Math.floor(Math.max(last, 0) / PAGE_SIZE)];

export const useLibrary = create<LibraryState>((set, get) => {
  /**
   * Fetches one page for the current generation; a newer query makes the answer irrelevant. `fresh` marks the
   * first page of a new result set: it is asked for without the total (counting every match costs as much as
   * the page itself), shown at once, and the total follows in a second call. A 'refresh' (the same query after
   * a change) keeps the other pages and the total on screen until their new versions arrive.
   */
  const fetchPage = async (pageIndex: number, mode: 'new' | 'refresh' | 'more') => {
    const fresh = mode !== 'more';
    const { gen, query } = get();
    const key = `${gen}:${pageIndex}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    const filters = cleanFilters(query.filters);
    const base = { ...filters, sort: query.sort, order: query.order };
    try {
      const page = await call('library.search', { ...base, limit: PAGE_SIZE, offset: pageIndex * PAGE_SIZE, withTotal: false }, { quiet: true });
      if (get().gen !== gen) return;
      let pages = new Map(get().pages);
      // A new query replaces the whole result set at once with its first page.
      if (mode === 'new') {
        for (const [i, p] of pages) if (p.gen !== gen) pages.delete(i);
        newPending = false;
      }
      // Far pages dropped first, so the page just asked for is kept even if the view has moved on.
      pages = evictFarPages(pages, ...pageSpan(lastVisible));
      pages.set(pageIndex, { gen, items: page.items });
      const complete = fresh && page.nextCursor === null;
      set({
        pages,
        loading: false,
        error: null,
        ...(mode === 'new' ? { resultsQuery: filters.query ?? '', total: page.items.length, totalExact: complete } : {}),
        ...(mode === 'refresh' && complete ? { total: page.items.length, totalExact: true } : {}),
      });
      if (fresh && !complete) {
        // Counted once typing pauses: the studio answers calls in order, and a count for a text that is already
        // outdated would delay the page for the next keystroke.
        await new Promise((r) => setTimeout(r, COUNT_DELAY_MS));
        if (get().gen !== gen) return;
        const counted = await call('library.search', { ...base, limit: 1, offset: 0, withTotal: true }, { quiet: true });
        if (get().gen === gen && counted.total >= 0) set({ total: counted.total, totalExact: true });
      }
    } catch (e) {
      if (get().gen !== gen) return;
      set({ loading: false, error: e instanceof CallError ? e.message : 'the library could not be read' });
    } finally {
      inFlight.delete(key);
    }
  };

  /** Starts a new result set (new search, filter or sort). */
  const requery = () => {
    newPending = true;
    set({ gen: get().gen + 1, loading: true, anchor: null, cursor: null });
    void fetchPage(0, 'new');
  };

  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** True from a new query until its first page has arrived: a refresh meanwhile must start a new result set too. */
  let newPending = false;
  /** The rows in view (plus overscan), as the virtualizer last reported them. */
  let lastVisible: [number, number] = [0, PAGE_SIZE - 1];
  let pagesInFlight = 0;

  /**
   * Fetches the missing pages of the rows in view, at most MAX_PAGE_FETCHES at once. When one arrives, the rows
   * in view *then* are checked again: a fast scroll across 100,000 items asks only for the pages it stops on,
   * instead of queueing a request for every page it passed (the studio answers in order, so those would
   * delay the page the owner is looking at).
   */
  const pumpPages = () => {
    const { total, pages, gen } = get();
    if (total === null) return;
    const [first, last] = lastVisible;
    const lastIndex = Math.min(last, total - 1);
    for (let p = Math.floor(Math.max(first, 0) / PAGE_SIZE); p <= Math.floor(lastIndex / PAGE_SIZE); p++) {
      const have = pages.get(p);
      if ((have && have.gen === gen) || inFlight.has(`${gen}:${p}`)) continue;
      if (pagesInFlight >= MAX_PAGE_FETCHES) return;
      pagesInFlight++;
      void fetchPage(p, 'more').finally(() => {
        pagesInFlight--;
        pumpPages();
      });
    }
  };

  return {
    query: { filters: {}, sort: 'addedAt', order: 'desc' },
    total: null,
    totalExact: false,
    resultsQuery: '',
    pages: new Map(),
    gen: 0,
    loading: false,
    error: null,
    view: savedView(),
    selected: new Set(),
    anchor: null,
    cursor: null,
    openId: null,
    pageId: null,
    paneBeforePage: null,
    importProgress: null,
    lastImport: null,
    tags: [],
    presets: [],

    setQuery: (patch) => {
      set({ query: { ...get().query, ...patch } });
      requery();
    },
    setFilters: (patch) => {
      const q = get().query;
      set({ query: { ...q, filters: { ...q.filters, ...patch } } });
      requery();
    },
    clearFilters: () => {
      set({ query: { ...get().query, filters: {} } });
      requery();
    },
    ensureRange: (first, last) => {
      lastVisible = [first, last];
      const pages = get().pages;
      const kept = evictFarPages(pages, ...pageSpan(lastVisible));
      if (kept !== pages) set({ pages: kept });
      pumpPages();
    },
    refresh: () => {
      // Events come in bursts during an import: coalesce them.
      if (refreshTimer) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        set({ gen: get().gen + 1 });
        void fetchPage(0, refreshMode(get().total, newPending)).then(() => get().ensureRange(lastVisible[0], lastVisible[1]));
      }, 250);
    },
    itemAt: (index) => get().pages.get(Math.floor(index / PAGE_SIZE))?.items[index % PAGE_SIZE],
    setView: (view) => {
      localStorage.setItem(VIEW_KEY, view);
      set({ view });
    },
    setSelection: (selected, anchor) => set({ selected, anchor }),
    setCursor: (cursor) => set({ cursor }),
    open: (openId) => set({ openId }),
    // One preview at a time (the preview store holds one video): the pane closes while the page is open.
    openPage: (pageId) => set({ pageId, paneBeforePage: get().pageId === null ? get().openId : get().paneBeforePage, openId: null }),
    closePage: () => set({ pageId: null, openId: get().paneBeforePage, paneBeforePage: null }),

    importPaths: async (paths) => {
      try {
        const summary = await call('library.import', { paths });
        set({ lastImport: summary });
        const failed = summary.failed.length;
        const parts = [`${summary.imported} imported`, summary.updated ? `${summary.updated} updated` : '', summary.moved ? `${summary.moved} moved` : '', summary.skipped ? `${summary.skipped} already there` : '', failed ? `${failed} could not be used` : ''].filter(Boolean);
        useToasts.getState().push({
          level: summary.cancelled ? 'warning' : failed ? 'warning' : 'success',
          message: `${summary.cancelled ? 'Import cancelled' : 'Import finished'}: ${parts.join(', ')}.`,
          hint: failed ? `First problem: ${summary.failed[0]!.reason}` : undefined,
        });
        get().refresh();
        void get().loadTags();
        return summary;
      } catch {
        return null;
      }
    },
    cancelImport: async () => {
      try {
        await call('library.cancelImport', { importId: get().importProgress?.importId });
      } catch {
        // call() showed why
      }
    },
    bulk: async (edit) => {
      const ids = [...get().selected];
      if (!ids.length) return;
      try {
        const { updated } = await call('library.bulkUpdate', { ids, ...edit });
        const what = edit.addTags ? `tagged “${edit.addTags.join(', ')}”` : edit.removeTags ? `untagged “${edit.removeTags.join(', ')}”` : edit.rating !== undefined ? `rated ${edit.rating}★` : edit.tier ? `set to ${edit.tier}` : 'updated';
        useToasts.getState().push({ level: 'success', message: `${updated} ${updated === 1 ? 'video' : 'videos'} ${what}.` });
        get().refresh();
        if (edit.addTags || edit.removeTags) void get().loadTags();
      } catch {
        // call() showed why
      }
    },
    curate: async (id, patch) => {
      try {
        await call('library.update', { id, patch });
        get().refresh();
      } catch {
        // call() showed why
      }
    },
    queue: async (preset, params) => {
      const ids = [...get().selected];
      let queued = 0;
      const problems: string[] = [];
      for (const videoId of ids) {
        try {
          await call('jobs.enqueue', { videoId, preset, ...(params ? { params } : {}) }, { quiet: true });
          queued++;
        } catch (e) {
          problems.push(e instanceof CallError ? e.message : String(e));
        }
      }
      useToasts.getState().push({
        level: problems.length ? (queued ? 'warning' : 'error') : 'success',
        message: `${queued} of ${ids.length} queued with “${preset}”.`,
        hint: problems.length ? `${problems.length} refused: ${problems[0]}` : 'Follow them on the Jobs screen (Ctrl+2).',
        action: queued ? { label: 'Open Jobs', run: () => useNav.getState().go('jobs') } : undefined,
      });
    },
    loadTags: async () => {
      try {
        set({ tags: await call('library.tags', {}, { quiet: true }) });
      } catch {
        // the tag filter stays empty
      }
    },
    loadPresets: async () => {
      try {
        set({ presets: (await call('jobs.presets', {}, { quiet: true })).presets });
      } catch {
        // queueing shows why when tried
      }
    },

    init: () => {
      if (get().total === null) requery();
      else get().refresh();
      void get().loadTags();
      void get().loadPresets();
      void call('library.importStatus', {}, { quiet: true })
        .then((p) => set({ importProgress: p && !['done', 'cancelled', 'failed'].includes(p.phase) ? p : null }))
        .catch(() => undefined);
      let lastGrowth = 0;
      const offProgress = subscribe('library.importProgress', (p) => {
        set({ importProgress: ['done', 'cancelled', 'failed'].includes(p.phase) ? null : p });
        // The library announces its changes at the end of an import; meanwhile the grid grows every ~2 s.
        if ((p.phase === 'probing' || p.phase === 'assets') && performance.now() - lastGrowth > 2000) {
          lastGrowth = performance.now();
          get().refresh();
        }
      });
      const offChanged = subscribe('library.changed', () => get().refresh());
      return () => {
        offProgress();
        offChanged();
      };
    },
  };
});
