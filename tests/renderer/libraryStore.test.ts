import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoPage, VideoSummary } from '../../shared/dto/library';
import { evictFarPages, refreshMode } from '../../renderer/src/features/library/pageWindow';

// The Library store against a stubbed `call` (the studio's answers are scripted, and some held back, to
// reproduce the orderings a live import produces).

interface SearchInput {
  query?: string;
  limit: number;
  offset: number;
  withTotal: boolean;
}
type Answer = (input: SearchInput) => Promise<VideoPage>;

/** The event loop's turns (tests/helpers/waitFor's nextTurns, in the renderer's typings): counts turns, never time. */
async function nextTurns(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setTimeout(r, 0));
}

const stub = vi.hoisted(() => {
  const mem = new Map<string, string>();
  // The store reads the saved view at creation; node has no localStorage.
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v), removeItem: (k: string) => void mem.delete(k) },
  });
  return { search: null as Answer | null, searches: [] as SearchInput[] };
});

vi.mock('../../renderer/src/lib/api', () => ({
  CallError: class CallError extends Error {},
  subscribe: () => () => undefined,
  call: (name: string, input: SearchInput) => {
    if (name !== 'library.search' || !stub.search) return Promise.reject(new Error(`unexpected call ${name}`));
    stub.searches.push(input);
    return stub.search(input);
  },
}));

const item = (id: number, label: string): VideoSummary => ({ id, title: `${label} ${id}` }) as unknown as VideoSummary;

/** A library of `total` items titled `label n`, answered at once. */
function library(label: string, total: number): Answer {
  return (input) => {
    const items = input.withTotal ? [] : Array.from({ length: Math.max(0, Math.min(input.limit, total - input.offset)) }, (_, i) => item(input.offset + i, label));
    return Promise.resolve({ items, total: input.withTotal ? total : -1, offset: input.offset, nextCursor: input.offset + input.limit < total ? 'more' : null });
  };
}

/**
 * Resolves with the store's state once `ok` holds (at once if it already does): the store's own change event,
 * so a slow machine only makes it later. Fails naming `what` if it never comes.
 */
function reached<S>(store: { getState(): S; subscribe(listener: (s: S) => void): () => void }, what: string, ok: (s: S) => boolean): Promise<S> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the store never reached: ${what}`));
    }, 30_000);
    const check = (s: S) => {
      if (!ok(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    };
    const off = store.subscribe(check);
    check(store.getState());
  });
}

async function freshStore() {
  vi.resetModules();
  const mod = await import('../../renderer/src/features/library/store');
  return mod;
}

beforeEach(() => {
  stub.search = null;
  stub.searches = [];
});
afterEach(() => {
  stub.search = null;
});

describe('pure page-window rules', () => {
  it('keeps pages within 20 of the view and returns the same map when nothing is dropped', () => {
    const pages = new Map([0, 5, 30, 49, 50, 51, 75, 100].map((i) => [i, i] as [number, number]));
    expect([...evictFarPages(pages, 50, 51).keys()]).toEqual([30, 49, 50, 51]);
    const near = new Map([[10, 10]]);
    expect(evictFarPages(near, 0, 0)).toBe(near);
  });

  it('a refresh while a new query is pending starts a new result set', () => {
    expect(refreshMode(240, true)).toBe('new');
    expect(refreshMode(240, false)).toBe('refresh');
    expect(refreshMode(null, false)).toBe('new');
  });
});

describe('the Library store', () => {
  it('a refresh landing before a new query’s first page still replaces the old result set', async () => {
    const { useLibrary, PAGE_SIZE } = await freshStore();
    const lib = useLibrary.getState();
    stub.search = library('alpha', 300);
    lib.setFilters({ query: 'alpha' });
    await reached(useLibrary, 'alpha counted', (s) => s.totalExact && s.total === 300); // page 0, then the count
    // The grid grows to the counted total and reports the rows in view again.
    lib.ensureRange(0, 2 * PAGE_SIZE - 1);
    await reached(useLibrary, "alpha's second page", (s) => s.pages.has(1));
    expect(useLibrary.getState()).toMatchObject({ resultsQuery: 'alpha', total: 300 });
    expect(useLibrary.getState().itemAt(PAGE_SIZE)?.title).toBe(`alpha ${PAGE_SIZE}`);

    // A new search whose first page is slow; an import's refresh fires before it arrives.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const beta = library('beta', 5);
    let betaCalls = 0;
    let heldAnswer: Promise<unknown> = Promise.resolve();
    let refreshAnswered: () => void = () => undefined;
    const refreshAnswer = new Promise<void>((r) => (refreshAnswered = r));
    stub.search = (input) => {
      if (input.query !== 'beta') return beta(input);
      betaCalls++;
      if (betaCalls === 1) {
        const answer = held.then(() => beta(input));
        heldAnswer = answer;
        return answer;
      }
      return beta(input).finally(refreshAnswered);
    };
    useLibrary.getState().setFilters({ query: 'beta' });
    useLibrary.getState().refresh();
    // The refresh's search (after its 250 ms coalescing) is answered, and the store has taken the answer in.
    await refreshAnswer;
    await nextTurns();
    // Then the new query's first page arrives, late.
    release();
    await heldAnswer;
    await nextTurns();

    const s = useLibrary.getState();
    expect(s.resultsQuery).toBe('beta');
    expect(s.total).toBe(5);
    expect(s.itemAt(0)?.title).toBe('beta 0');
    expect(s.itemAt(PAGE_SIZE)).toBeUndefined(); // no alpha rows left past page 0
    expect([...s.pages.values()].flatMap((p) => p.items).every((v) => v.title.startsWith('beta'))).toBe(true);
  });

  it('scrolling 100,000 items end to end keeps only the pages near the view, and refetches on the way back', async () => {
    const { useLibrary, PAGE_SIZE } = await freshStore();
    const TOTAL = 100_000;
    stub.search = library('item', TOTAL);
    useLibrary.getState().setQuery({});
    await reached(useLibrary, 'the items counted', (s) => s.totalExact);
    expect(useLibrary.getState().total).toBe(TOTAL);
    const lastPage = Math.floor((TOTAL - 1) / PAGE_SIZE);
    let most = 0;
    for (let p = 0; p <= lastPage; p++) {
      useLibrary.getState().ensureRange(p * PAGE_SIZE, p * PAGE_SIZE + PAGE_SIZE - 1);
      await reached(useLibrary, `page ${p}`, (s) => s.pages.has(p));
      most = Math.max(most, useLibrary.getState().pages.size);
    }
    expect(useLibrary.getState().itemAt(TOTAL - 1)?.title).toBe(`item ${TOTAL - 1}`);
    // At most the view's page and 20 either side (plus one landing as the view moves on).
    expect(most).toBeLessThanOrEqual(2 * 20 + 2);
    expect(useLibrary.getState().pages.size).toBeLessThanOrEqual(2 * 20 + 2);

    // Back to the top: page 0 was dropped, so it is fetched again.
    expect(useLibrary.getState().itemAt(0)).toBeUndefined();
    const before = stub.searches.filter((s) => s.offset === 0 && !s.withTotal).length;
    useLibrary.getState().ensureRange(0, PAGE_SIZE - 1);
    await reached(useLibrary, 'page 0 again', (s) => s.pages.has(0));
    expect(stub.searches.filter((s) => s.offset === 0 && !s.withTotal).length).toBe(before + 1);
    expect(useLibrary.getState().itemAt(0)?.title).toBe('item 0');
  });
});
