import type { LibraryFilters } from '../../../../shared/dto/library';
import { call, CallError } from '../../lib/api';
import { evictFarPages, refreshMode } from './pageWindow';
import type { LibrarySlice, LibraryState, ResultsSlice } from './libraryTypes';

/** Rows per fetch. 120 divides evenly into 2–8 grid columns, so a page fills whole rows. */
export const PAGE_SIZE = 120;
/** How long a result set must stay current (typing paused) before its matches are counted. */
const COUNT_DELAY_MS = 500;
/** Page requests in flight at once while scrolling. */
const MAX_PAGE_FETCHES = 2;

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

type Set_ = (partial: Partial<LibraryState>) => void;
type Get = () => LibraryState;

/** The page fetching behind the slice: its bookkeeping is not state anyone renders, so it stays in this closure. */
function createPager(set: Set_, get: Get) {
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** True from a new query until its first page has arrived: a refresh meanwhile must start a new result set too. */
  let newPending = false;
  /** The rows in view (plus overscan), as the virtualizer last reported them. */
  let lastVisible: [number, number] = [0, PAGE_SIZE - 1];
  let pagesInFlight = 0;

  /** The total of a fresh result set, counted once typing pauses (see fetchPage). */
  const countLater = async (gen: number, base: Record<string, unknown>) => {
    // The studio answers calls in order, and a count for a text that is already outdated would delay the page
    // for the next keystroke.
    await new Promise((r) => setTimeout(r, COUNT_DELAY_MS));
    if (get().gen !== gen) return;
    const counted = await call('library.search', { ...base, limit: 1, offset: 0, withTotal: true }, { quiet: true });
    if (get().gen === gen && counted.total >= 0) set({ total: counted.total, totalExact: true });
  };

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
      if (fresh && !complete) await countLater(gen, base);
    } catch (e) {
      if (get().gen !== gen) return;
      set({ loading: false, error: e instanceof CallError ? e.message : 'the library could not be read' });
    } finally {
      inFlight.delete(key);
    }
  };

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
    /** Starts a new result set (new search, filter or sort). */
    requery: () => {
      newPending = true;
      set({ gen: get().gen + 1, loading: true, anchor: null, cursor: null });
      void fetchPage(0, 'new');
    },
    ensureRange: (first: number, last: number) => {
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
  };
}

export const createResultsSlice: LibrarySlice<ResultsSlice> = (set, get) => {
  const pager = createPager(set, get);
  return {
    query: { filters: {}, sort: 'addedAt', order: 'desc' },
    total: null,
    totalExact: false,
    resultsQuery: '',
    pages: new Map(),
    gen: 0,
    loading: false,
    error: null,
    setQuery: (patch) => {
      set({ query: { ...get().query, ...patch } });
      pager.requery();
    },
    setFilters: (patch) => {
      const q = get().query;
      set({ query: { ...q, filters: { ...q.filters, ...patch } } });
      pager.requery();
    },
    clearFilters: () => {
      set({ query: { ...get().query, filters: {} } });
      pager.requery();
    },
    ensureRange: pager.ensureRange,
    refresh: pager.refresh,
    loadFirst: () => {
      if (get().total === null) pager.requery();
      else get().refresh();
    },
    itemAt: (index) => get().pages.get(Math.floor(index / PAGE_SIZE))?.items[index % PAGE_SIZE],
  };
};
