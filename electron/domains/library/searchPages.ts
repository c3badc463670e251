import type { VideoPage } from '../../../shared/dto/library';
import type { LibraryDb } from './libraryDb';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './rows';
import { buildSearch, encodeCursor, normaliseTag, type SearchSpec } from './searchQuery';

/**
 * Pages of a filtered, sorted library (the SQL is built in searchQuery.ts). Match counts are cached against
 * the library's write version, because scrolling, re-sorting and paging repeat the same filters.
 */
export class SearchPages {
  private readonly counts = new Map<string, { version: string; n: number }>();

  constructor(private readonly lib: LibraryDb) {}

  /** A page of items; unset paging/sort fields take the contract's defaults (newest first, 100 rows, with total). */
  search(input: Partial<SearchSpec> = {}): VideoPage {
    const spec: SearchSpec = { sort: 'addedAt', order: 'desc', limit: 100, offset: 0, withTotal: true, ...input };
    const commonTags = spec.tags?.length ? this.tagsAreCommon(spec.tags) : false;
    // Count first (a covering-index scan, cached until the next write): it also tells whether the filter is
    // broad enough that walking the sort index beats sorting every match.
    const probe = buildSearch(spec, SUMMARY_COLUMNS, { commonTags });
    const total = this.cachedCount(probe.countSql, probe.countParams);
    const all = this.cachedCount('SELECT count(*) AS n FROM videos', []);
    const broad = total * (spec.query ? 100 : 20) >= all;
    const built = broad || (spec.sort === 'relevance' && probe.sortKey === 'relevance') ? buildSearch(spec, SUMMARY_COLUMNS, { commonTags, broad, matchCount: total, relevanceCap: this.lib.options.relevanceCap }) : probe;
    const rows = this.lib.stmt(built.pageSql).all(...built.pageParams) as (SummaryRow & { sort_value: string | number })[];
    const more = rows.length > spec.limit;
    const page = more ? rows.slice(0, spec.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map(toSummary),
      total: spec.withTotal ? total : -1,
      offset: spec.cursor ? -1 : spec.offset,
      nextCursor: more && last && built.keyset ? encodeCursor(built.sortKey, spec.order, last.sort_value, last.id) : null,
    };
  }

  /**
   * The library's write version: this connection's change count plus SQLite's data_version (which moves when
   * another connection or process commits). Anything cached against it is stale as soon as anyone writes.
   */
  private version(): string {
    const r = this.lib.stmt('SELECT total_changes() AS c').get() as { c: number };
    return `${this.lib.db.pragma('data_version', { simple: true }) as number}:${r.c}`;
  }

  /** Counting every match is the one part of a page that scans, so the count is kept until the next write. */
  private cachedCount(sql: string, params: readonly (string | number)[]): number {
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    const version = this.version();
    const hit = this.counts.get(key);
    if (hit && hit.version === version) return hit.n;
    const n = (this.lib.stmt(sql).get(...params) as { n: number }).n;
    if (this.counts.size > 200) this.counts.clear();
    this.counts.set(key, { version, n });
    return n;
  }

  /** Tags on many items are filtered by walking the sort order; rare ones by starting from their items. */
  private tagsAreCommon(tags: readonly string[]): boolean {
    const names = [...new Set(tags.map(normaliseTag))];
    const sizes = names.map((n) => this.cachedCount('SELECT count(*) AS n FROM video_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?)', [n]));
    const total = this.cachedCount('SELECT count(*) AS n FROM videos', []);
    return Math.min(...sizes) * 20 > total;
  }
}
