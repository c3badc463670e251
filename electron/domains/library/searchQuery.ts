import type { LibrarySort } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';
import { columnFilters, isTextOnly, sortKeyRanges, tagFilters } from './searchFilters';
import { MATCH_COUNT_SQL, textRelevancePage } from './searchRelevance';
import type { BuiltSearch, Clauses, SearchHints, SearchSpec, SqlValue } from './searchSpec';

export { normaliseTag } from './searchFilters';
export { BM25, RELEVANCE_CAP } from './searchRelevance';
export type { BuiltSearch, SearchHints, SearchSpec } from './searchSpec';

/**
 * The SQL expression of each sort key. Each one is exactly the expression of an index in schema.ts (ending in
 * id), so ORDER BY walks the index and keyset paging (`(expr, id) > (?, ?)`) seeks straight to the page.
 */
export const SORT_EXPR: Record<Exclude<LibrarySort, 'relevance'>, string> = {
  title: 'v.title COLLATE NOCASE',
  fileName: 'v.file_name COLLATE NOCASE',
  addedAt: 'v.added_at',
  modifiedAt: 'v.modified_at',
  duration: 'coalesce(v.duration_sec, -1)',
  resolution: 'coalesce(v.height, -1)',
  size: 'v.size_bytes',
  bitrate: 'coalesce(v.bit_rate, -1)',
  codec: "coalesce(v.video_codec, '')",
  tier: "(CASE v.tier WHEN 'free' THEN 0 WHEN 'subscriber' THEN 1 ELSE 2 END)",
  rating: 'v.rating',
};

/** The index behind each sort expression (schema.ts). */
export const SORT_INDEX: Record<keyof typeof SORT_EXPR, string> = {
  title: 'videos_title',
  fileName: 'videos_file_name',
  addedAt: 'videos_added',
  modifiedAt: 'videos_modified',
  duration: 'videos_duration',
  resolution: 'videos_resolution',
  size: 'videos_size',
  bitrate: 'videos_bitrate',
  codec: 'videos_codec',
  tier: 'videos_tier',
  rating: 'videos_rating',
};

/**
 * A word the unicode61 tokenizer keeps something of: it indexes letters, numbers and private-use characters and
 * treats everything else as a separator. A word without one ("&", "-", "—", "***") would become an empty phrase,
 * which matches nothing and so would make the whole AND match nothing.
 */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;

/**
 * "trance  loop" → `"trance"* AND "loop"*`: every word must match, each as a prefix. Quotes and NUL are removed
 * (a quote would end the phrase; FTS5 reads the query as a C string, so a NUL cuts it and raises "unterminated
 * string"); words without a letter or number are dropped. Null when no usable word is left: no text filter.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .replaceAll('\u0000', ' ')
    .replaceAll('"', ' ')
    .split(/\s+/)
    .filter((w) => TOKEN_CHAR.test(w))
    .slice(0, 20);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' AND ');
}

interface Cursor {
  s: string;
  o: string;
  v: SqlValue;
  id: number;
}

export function encodeCursor(sort: string, order: string, value: SqlValue, id: number): string {
  return Buffer.from(JSON.stringify({ s: sort, o: order, v: value, id } satisfies Cursor)).toString('base64url');
}

function decodeCursor(raw: string, sort: string, order: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (c.s !== sort || c.o !== order || typeof c.id !== 'number' || (typeof c.v !== 'string' && typeof c.v !== 'number')) throw new Error('mismatch');
    return c;
  } catch {
    throw new ChurchError('INVALID_INPUT', 'the paging cursor does not belong to this sort; start again from the first page');
  }
}

type SortKey = keyof typeof SORT_EXPR;

/** Builds the page and count queries of a search: pure, so tests and the bench check the plan. */
export function buildSearch(spec: SearchSpec, columns: string, hints: SearchHints = {}): BuiltSearch {
  const match = spec.query ? ftsQuery(spec.query) : null;
  // With a text query sorted by something other than relevance, and many matches, the page walks the sort
  // index and tests membership in the match set (no table read per match); otherwise it joins the matches.
  const textAsSet = match !== null && hints.broad === true && spec.sort !== 'relevance';
  const from = match && !textAsSet ? 'videos v JOIN videos_fts ON videos_fts.rowid = v.id' : 'videos v';
  const filters = textFilter(match, textAsSet);
  const columnsOnly = columnFilters(spec);
  filters.where.push(...columnsOnly.where);
  filters.params.push(...columnsOnly.params);
  const onlyText = isTextOnly(spec, match);
  const tags = tagFilters(spec);
  const count = countQuery(from, filters, tags?.in ?? null, match !== null && (onlyText || textAsSet));
  // Tag filters differ between the page and the count: see tagFilters.
  const pageTags = tags ? (hints.commonTags ? tags.exists : tags.in) : null;
  if (pageTags) {
    filters.where.push(...pageTags.where);
    filters.params.push(...pageTags.params);
  }

  const relevance = spec.sort === 'relevance' && match !== null;
  if (relevance) {
    const dirRank = spec.order === 'desc' ? 'ASC' : 'DESC';
    if (onlyText) return textRelevancePage(match, spec, columns, hints, dirRank);
    // rank is bm25 weighted by column (title 10, file name 5, tags 3, collections 2, notes 1; set in schema.ts).
    const page = pageQuery(columns, from, filters, 'videos_fts.rank', `videos_fts.rank ${dirRank}, v.id ASC`, spec.limit, spec.offset);
    return { ...page, ...count, keyset: false, sortKey: spec.sort };
  }
  const sortKey = (spec.sort === 'relevance' ? 'title' : spec.sort) as SortKey;
  const sortExpr = SORT_EXPR[sortKey];
  const dir = spec.order === 'asc' ? 'ASC' : 'DESC';
  const ranges = sortKeyRanges(spec, sortKey);
  const pageFilters = { where: [...filters.where, ...ranges.where], params: [...filters.params, ...ranges.params] };
  let offset = spec.offset;
  if (spec.cursor) {
    const seek = keysetSeek(spec.cursor, spec.order, sortKey, sortExpr);
    pageFilters.where.push(...seek.where);
    pageFilters.params.push(...seek.params);
    offset = 0;
  }
  // A broad filter (many matches) is fastest by walking the sort key's index until a page is full; SQLite's
  // planner prefers the filter index and sorts every match instead, so the store tells when the filter is broad.
  const fromPage = hints.broad && (!match || textAsSet) ? `${from} INDEXED BY ${SORT_INDEX[sortKey]}` : from;
  const page = pageQuery(columns, fromPage, pageFilters, sortExpr, `${sortExpr} ${dir}, v.id ${dir}`, spec.limit, offset);
  return { ...page, ...count, keyset: true, sortKey };
}

/** The text query's condition: membership in the match set, or the join's MATCH. */
function textFilter(match: string | null, textAsSet: boolean): Clauses {
  if (match === null) return { where: [], params: [] };
  return { where: [textAsSet ? 'v.id IN (SELECT rowid FROM videos_fts WHERE videos_fts MATCH ?)' : 'videos_fts MATCH ?'], params: [match] };
}

/** The count query: the FTS table alone when the text is the only condition, else the filtered rows. */
function countQuery(from: string, filters: Clauses, tagIn: Clauses | null, textCountable: boolean): { countSql: string; countParams: SqlValue[] } {
  const where = tagIn ? [...filters.where, ...tagIn.where] : filters.where;
  const countParams = tagIn ? [...filters.params, ...tagIn.params] : [...filters.params];
  const countSql = textCountable && !tagIn && filters.where.length === 1 ? MATCH_COUNT_SQL : `SELECT count(*) AS n FROM ${from}${whereSql(where)}`;
  return { countSql, countParams };
}

/** The keyset condition after the cursor's row. */
function keysetSeek(cursor: string, order: SearchSpec['order'], sortKey: SortKey, sortExpr: string): Clauses {
  const c = decodeCursor(cursor, sortKey, order);
  // Written so the first term is a plain range on the index expression (a seek), the second the tie-break.
  const [cmp, cmpEq] = order === 'asc' ? ['>', '>='] : ['<', '<='];
  return { where: [`${sortExpr} ${cmpEq} ? AND (${sortExpr} ${cmp} ? OR v.id ${cmp} ?)`], params: [c.v, c.v, c.id] };
}

function pageQuery(columns: string, from: string, filters: Clauses, sortExpr: string, orderBy: string, limit: number, offset: number): { pageSql: string; pageParams: SqlValue[] } {
  return {
    pageSql: `SELECT ${columns}, ${sortExpr} AS sort_value FROM ${from}${whereSql(filters.where)} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    pageParams: [...filters.params, limit + 1, offset],
  };
}

function whereSql(where: string[]): string {
  return where.length ? ` WHERE ${where.join(' AND ')}` : '';
}
