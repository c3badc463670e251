import { openDatabase } from '../electron/platform/db';
import { LibraryStore } from '../electron/domains/library';
import { CODECS, TAGS, TIERS, WORDS } from './librarySeed';
import { percentile } from './measure';

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
type Spec = Parameters<LibraryStore['search']>[0];

export interface QueryFigures {
  p50: number;
  p95: number;
  max: number;
  /** Rows per page, on average. */
  rows: number;
  /** CPU time of the process per query: what the load of other work inflates least. */
  cpuP50: number;
  cpuP95: number;
}

function timeQueries(store: LibraryStore, make: (i: number) => Spec, n: number): QueryFigures {
  const times: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows += store.search(make(i)).items.length;
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(Math.max(...times)), rows: Math.round(rows / n), cpuP50: round(percentile(cpu, 50)), cpuP95: round(percentile(cpu, 95)) };
}

const SORTS = ['duration', 'title', 'rating', 'size', 'addedAt', 'resolution'] as const;
const word = (i: number) => WORDS[(i * 7) % WORDS.length]!;
/** The filtered page of the UI: a tier, a least height and rating, sorted by one of six keys either way. */
const filteredSpec = (i: number): Spec => ({ tiers: [TIERS[i % 3]!], minHeight: 720, minRating: i % 4, sort: SORTS[i % SORTS.length]!, order: i % 2 ? 'asc' : 'desc', limit: 100 });

/**
 * Search figures on a seeded library file: each query kind `n` times (page of 100 and the total, as the UI asks).
 * `full` adds the kinds measured only at 100k (tag filters, deep pages, counts after a write).
 */
export function searchFigures(file: string, n: number, full: boolean): Record<string, unknown> {
  const db = openDatabase(file);
  try {
    const store = new LibraryStore(db);
    const out: Record<string, unknown> = { queries: n, unit: 'ms per page of 100 with its total (wall; cpu = this process)' };
    out.textRelevance = timeQueries(store, (i) => ({ query: word(i), sort: 'relevance', order: 'desc', limit: 100 }), n);
    // A first keystroke: one letter matches a large part of the library (relevance scores the newest 5000).
    out.textOneLetterRelevance = timeQueries(store, (i) => ({ query: word(i).slice(0, 1), sort: 'relevance', order: 'desc', limit: 100 }), n);
    out.textPrefixByDate = timeQueries(store, (i) => ({ query: word(i).slice(0, 4), sort: 'addedAt', order: 'desc', limit: 100 }), n);
    out.filteredSorted = timeQueries(store, filteredSpec, n);
    if (full) Object.assign(out, fullOnly(store, db, n));
    return out;
  } finally {
    db.close();
  }
}

function fullOnly(store: LibraryStore, db: ReturnType<typeof openDatabase>, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // At 100k only: at 1M one such query took 57 s under load (docs/benchmarks.md), which would unbound the bench.
  out.textAndFilters = timeQueries(store, (i) => ({ ...filteredSpec(i), query: word(i) }), n);
  out.tagAndCodecFiltered = timeQueries(store, (i) => ({ tags: [TAGS[i % TAGS.length]!], codecs: [CODECS[i % 4]!], sort: 'duration', order: 'desc', limit: 100 }), n);
  // Deep keyset page: the cursor of row ~50,000 of the whole library by title.
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) cursor = store.search({ sort: 'title', order: 'asc', limit: 500, cursor, withTotal: false }).nextCursor ?? undefined;
  out.keysetPageAtRow50k = timeQueries(store, () => ({ sort: 'title', order: 'asc', limit: 100, cursor }), n);
  out.offsetPageAtRow50k = timeQueries(store, () => ({ sort: 'title', order: 'asc', limit: 100, offset: 50_000, withTotal: false }), 50);
  // Totals are cached until the next write; this is the cost of a first (uncached) count of a filter.
  const coldCount: number[] = [];
  for (let i = 0; i < 60; i++) {
    db.prepare('UPDATE videos SET rating = rating WHERE id = 1').run(); // a write: every cached total is stale
    const t0 = performance.now();
    store.search(filteredSpec(i));
    coldCount.push(performance.now() - t0);
  }
  out.filteredSortedAfterAWrite = { p50: round(percentile(coldCount, 50)), p95: round(percentile(coldCount, 95)), note: 'page + uncounted total (cache invalidated by a write before each query)' };
  // The same pages scrolled/re-sorted again: the total is cached until the next write, as a UI uses it.
  out.filteredSortedSecondPass = timeQueries(store, filteredSpec, n);
  return out;
}
