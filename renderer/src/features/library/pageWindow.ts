/**
 * Which loaded result pages to keep. Scrolling 100,000 items end to end would otherwise keep every summary
 * fetched; pages more than `keep` pages from the ones in view are dropped and fetched again when scrolled back
 * to (the grid shows placeholders meanwhile, as for any page not yet loaded).
 */
export const KEEP_PAGES_AROUND_VIEW = 20;

/** The pages within `keep` of the visible pages [firstPage, lastPage]; the same Map when nothing is dropped. */
export function evictFarPages<P>(pages: Map<number, P>, firstPage: number, lastPage: number, keep = KEEP_PAGES_AROUND_VIEW): Map<number, P> {
  let out: Map<number, P> | null = null;
  for (const i of pages.keys()) {
    if (i >= firstPage - keep && i <= lastPage + keep) continue;
    out ??= new Map(pages);
    out.delete(i);
  }
  return out ?? pages;
}

/**
 * How a refresh fetches page 0. While a new query's first page is still coming (`newPending`), the refresh must
 * fetch as 'new' too: it bumps the generation, so the new query's answer is dropped, and a 'refresh' answer
 * would leave the previous query's rows past page 0 and its search text on screen.
 */
export function refreshMode(total: number | null, newPending: boolean): 'new' | 'refresh' {
  return total === null || newPending ? 'new' : 'refresh';
}
