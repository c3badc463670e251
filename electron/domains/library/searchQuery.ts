import type { LibraryFilters, LibrarySort } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';

export interface SearchSpec extends LibraryFilters {
  sort: LibrarySort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  cursor?: string;
  withTotal: boolean;
}

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

type SqlValue = string | number;

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

export interface BuiltSearch {
  /** Selects the summary columns plus `sort_value`, one page. */
  pageSql: string;
  pageParams: SqlValue[];
  countSql: string;
  countParams: SqlValue[];
  /** Keyset paging is possible (not for relevance order). */
  keyset: boolean;
  sortKey: string;
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** The column weights of relevance (title 10, file name 5, tags 3, collections 2, notes 1), as schema.ts ranks. */
export const BM25 = 'bm25(videos_fts, 10.0, 5.0, 3.0, 2.0, 1.0)';

/** Above this many text matches, relevance scores only the newest this many (see buildSearch). */
export const RELEVANCE_CAP = 5000;

export interface SearchHints {
  /** Every tag filtered on is on many items: walk the sort order and test each row. */
  commonTags?: boolean;
  /** Many rows match: walk the sort key's index. */
  broad?: boolean;
  /** How many rows the text query matches (the store counts first), for the relevance cap. */
  matchCount?: number;
  /** Overrides RELEVANCE_CAP (tests). */
  relevanceCap?: number;
}

/** Builds the page and count queries of a search: pure, so tests and the bench check the plan. */
export function buildSearch(spec: SearchSpec, columns: string, hints: SearchHints = {}): BuiltSearch {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const match = spec.query ? ftsQuery(spec.query) : null;
  let from = 'videos v';
  // With a text query sorted by something other than relevance, and many matches, the page walks the sort
  // index and tests membership in the match set (no table read per match); otherwise it joins the matches.
  const textAsSet = match !== null && hints.broad === true && spec.sort !== 'relevance';
  if (match && textAsSet) {
    where.push('v.id IN (SELECT rowid FROM videos_fts WHERE videos_fts MATCH ?)');
    params.push(match);
  } else if (match) {
    from = 'videos v JOIN videos_fts ON videos_fts.rowid = v.id';
    where.push('videos_fts MATCH ?');
    params.push(match);
  }
  const onlyText = match !== null && Object.entries(spec).every(([k, v]) => v === undefined || ['query', 'sort', 'order', 'limit', 'offset', 'cursor', 'withTotal'].includes(k));
  if (spec.kind) {
    where.push('v.kind = ?');
    params.push(spec.kind);
  }
  if (spec.tiers?.length) {
    where.push(`v.tier IN (${placeholders(spec.tiers.length)})`);
    params.push(...spec.tiers);
  }
  if (spec.minRating !== undefined) {
    where.push('v.rating >= ?');
    params.push(spec.minRating);
  }
  if (spec.maxRating !== undefined) {
    where.push('v.rating <= ?');
    params.push(spec.maxRating);
  }
  if (spec.favourite !== undefined) {
    where.push('v.favourite = ?');
    params.push(spec.favourite ? 1 : 0);
  }
  // Tag filters differ between the page and the count: the page of common tags walks the sort index and tests
  // each row (EXISTS); the count (and rare tags) start from the tagged rows (IN).
  const tagIn: { sql: string; params: SqlValue[] } | null = spec.tags?.length
    ? (() => {
        // One membership test per tag (AND): each is a range of the (tag_id, video_id) index.
        const names = [...new Set(spec.tags.map(normaliseTag))];
        return {
          sql: names.map(() => 'v.id IN (SELECT video_id FROM video_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?))').join(' AND '),
          params: names,
        };
      })()
    : null;
  const tagExists = spec.tags?.length
    ? [...new Set(spec.tags.map(normaliseTag))].map((n) => ({ sql: 'EXISTS (SELECT 1 FROM video_tags vt WHERE vt.video_id = v.id AND vt.tag_id = (SELECT id FROM tags WHERE name = ?))', params: [n] as SqlValue[] }))
    : [];
  if (spec.minDurationSec !== undefined) {
    where.push('v.duration_sec >= ?');
    params.push(spec.minDurationSec);
  }
  if (spec.maxDurationSec !== undefined) {
    where.push('v.duration_sec <= ?');
    params.push(spec.maxDurationSec);
  }
  if (spec.minHeight !== undefined) {
    where.push('v.height >= ?');
    params.push(spec.minHeight);
  }
  if (spec.maxHeight !== undefined) {
    where.push('v.height <= ?');
    params.push(spec.maxHeight);
  }
  if (spec.codecs?.length) {
    where.push(`v.video_codec IN (${placeholders(spec.codecs.length)})`);
    params.push(...spec.codecs.map((c) => c.toLowerCase()));
  }
  if (spec.missing !== undefined) {
    where.push('v.missing = ?');
    params.push(spec.missing ? 1 : 0);
  }
  if (spec.duplicate !== undefined) where.push(spec.duplicate ? 'v.dup_count > 0' : 'v.dup_count = 0');
  if (spec.collectionId !== undefined) {
    where.push('v.id IN (SELECT video_id FROM collection_items WHERE collection_id = ?)');
    params.push(spec.collectionId);
  }
  if (spec.rootId !== undefined) {
    where.push('v.root_id = ?');
    params.push(spec.rootId);
  }

  const countWhere = tagIn ? [...where, tagIn.sql] : where;
  const countParams = tagIn ? [...params, ...tagIn.params] : [...params];
  const countSql = match && (onlyText || textAsSet) && !tagIn && where.length === 1 ? 'SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?' : `SELECT count(*) AS n FROM ${from}${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`;
  if (tagIn && !hints.commonTags) {
    where.push(tagIn.sql);
    params.push(...tagIn.params);
  } else {
    for (const t of tagExists) {
      where.push(t.sql);
      params.push(...t.params);
    }
  }

  const relevance = spec.sort === 'relevance' && match !== null;
  const sortKey = spec.sort === 'relevance' && !match ? 'title' : spec.sort;
  const dir = spec.order === 'asc' ? 'ASC' : 'DESC';
  let sortExpr: string;
  let orderBy: string;
  if (relevance) {
    // rank is bm25 weighted by column (title 10, file name 5, tags 3, collections 2, notes 1; set in schema.ts).
    // It is smaller for better matches: "desc" relevance (best first) is ascending rank.
    const dirRank = spec.order === 'desc' ? 'ASC' : 'DESC';
    if (onlyText) {
      // Text alone: rank and cut the page inside the FTS table, then read just those rows from videos. bm25() is
      // called as a plain function so SQLite keeps only the best LIMIT+OFFSET rows in a heap while scanning
      // (ORDER BY rank makes FTS5 sort every match), and ties fall to the id, so offset pages never overlap.
      const cap = hints.relevanceCap ?? RELEVANCE_CAP;
      if (hints.matchCount !== undefined && hints.matchCount > cap) {
        // Very broad (a first keystroke at 100k items): scoring every match is the whole cost of the page, and the
        // order among thousands of one-letter matches carries little. Only the newest `cap` matches are scored;
        // they come first, by relevance, then the older matches, newest first. The total stays exact.
        const pivot = 'coalesce((SELECT rowid FROM videos_fts WHERE videos_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)';
        if (dirRank === 'ASC' && spec.offset + spec.limit + 1 <= cap) {
          // Best first, and the page lies within the scored matches (the pages a person sees first): the older
          // matches would only be sorted after them, so they are not read at all. Same rows as the full query below.
          return {
            pageSql:
              `SELECT ${columns}, f.r AS sort_value FROM (` +
              `SELECT rowid, ${BM25} AS r FROM videos_fts WHERE videos_fts MATCH ? AND rowid >= ${pivot} ORDER BY r ${dirRank}, rowid ${dirRank} LIMIT ? OFFSET ?` +
              `) f JOIN videos v ON v.id = f.rowid ORDER BY f.r ${dirRank}, v.id ${dirRank}`,
            pageParams: [match, match, cap - 1, spec.limit + 1, spec.offset],
            countSql: 'SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?',
            countParams: [match],
            keyset: false,
            sortKey: 'relevance',
          };
        }
        return {
          pageSql:
            `SELECT ${columns}, f.r AS sort_value FROM (` +
            `SELECT rowid, r, 0 AS older, rowid AS k FROM (SELECT rowid, ${BM25} AS r FROM videos_fts WHERE videos_fts MATCH ? AND rowid >= ${pivot}) ` +
            `UNION ALL SELECT rowid, NULL, 1, -rowid FROM videos_fts WHERE videos_fts MATCH ? AND rowid < ${pivot} ` +
            `ORDER BY older ${dirRank}, r ${dirRank}, k ${dirRank} LIMIT ? OFFSET ?` +
            `) f JOIN videos v ON v.id = f.rowid ORDER BY f.older ${dirRank}, f.r ${dirRank}, f.k ${dirRank}`,
          pageParams: [match, match, cap - 1, match, match, cap - 1, spec.limit + 1, spec.offset],
          countSql: 'SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?',
          countParams: [match],
          keyset: false,
          sortKey: 'relevance',
        };
      }
      return {
        pageSql: `SELECT ${columns}, f.r AS sort_value FROM (SELECT rowid, ${BM25} AS r FROM videos_fts WHERE videos_fts MATCH ? ORDER BY r ${dirRank}, rowid ${dirRank} LIMIT ? OFFSET ?) f JOIN videos v ON v.id = f.rowid ORDER BY f.r ${dirRank}, v.id ${dirRank}`,
        pageParams: [match, spec.limit + 1, spec.offset],
        countSql: 'SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?',
        countParams: [match],
        keyset: false,
        sortKey: 'relevance',
      };
    }
    sortExpr = 'videos_fts.rank';
    orderBy = `${sortExpr} ${dirRank}, v.id ASC`;
  } else {
    sortExpr = SORT_EXPR[sortKey as keyof typeof SORT_EXPR];
    orderBy = `${sortExpr} ${dir}, v.id ${dir}`;
  }
  const pageWhere = [...where];
  const pageParams = [...params];
  // A range filter on the sort key itself, restated on the index expression, lets the index walk start at it.
  if (!relevance && sortKey === 'resolution') {
    if (spec.minHeight !== undefined) {
      pageWhere.push('coalesce(v.height, -1) >= ?');
      pageParams.push(spec.minHeight);
    }
    if (spec.maxHeight !== undefined) {
      pageWhere.push('coalesce(v.height, -1) <= ?');
      pageParams.push(spec.maxHeight);
    }
  }
  if (!relevance && sortKey === 'duration') {
    if (spec.minDurationSec !== undefined) {
      pageWhere.push('coalesce(v.duration_sec, -1) >= ?');
      pageParams.push(spec.minDurationSec);
    }
    if (spec.maxDurationSec !== undefined) {
      pageWhere.push('coalesce(v.duration_sec, -1) <= ?');
      pageParams.push(spec.maxDurationSec);
    }
  }
  let offset = spec.offset;
  if (spec.cursor && !relevance) {
    const c = decodeCursor(spec.cursor, sortKey, spec.order);
    // Written so the first term is a plain range on the index expression (a seek), the second the tie-break.
    const [cmp, cmpEq] = spec.order === 'asc' ? ['>', '>='] : ['<', '<='];
    pageWhere.push(`${sortExpr} ${cmpEq} ? AND (${sortExpr} ${cmp} ? OR v.id ${cmp} ?)`);
    pageParams.push(c.v, c.v, c.id);
    offset = 0;
  }
  // A broad filter (many matches) is fastest by walking the sort key's index until a page is full; SQLite's
  // planner prefers the filter index and sorts every match instead, so the store tells when the filter is broad.
  const fromPage = hints.broad && (!match || textAsSet) && !relevance ? `${from} INDEXED BY ${SORT_INDEX[sortKey as keyof typeof SORT_INDEX]}` : from;
  const pageSql = `SELECT ${columns}, ${sortExpr} AS sort_value FROM ${fromPage}${pageWhere.length ? ` WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
  pageParams.push(spec.limit + 1, offset);
  return { pageSql, pageParams, countSql, countParams, keyset: !relevance, sortKey };
}

/** Tags are compared trimmed, lower-cased and with inner spaces collapsed. */
export function normaliseTag(t: string): string {
  return t.trim().replace(/\s+/g, ' ').toLowerCase();
}
