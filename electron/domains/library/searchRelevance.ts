import type { BuiltSearch, SearchHints, SearchSpec, SqlValue } from './searchSpec';

/** The column weights of relevance (title 10, file name 5, tags 3, collections 2, notes 1), as schema.ts ranks. */
export const BM25 = 'bm25(videos_fts, 10.0, 5.0, 3.0, 2.0, 1.0)';

/** Above this many text matches, relevance scores only the newest this many (see textRelevancePage). */
export const RELEVANCE_CAP = 5000;

export const MATCH_COUNT_SQL = 'SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?';

/** The rowid of the `cap`-th newest match: matches from it on are the scored ones. */
const PIVOT = 'coalesce((SELECT rowid FROM videos_fts WHERE videos_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)';

/**
 * A page of text alone in relevance order. Rank and cut the page inside the FTS table, then read just those rows
 * from videos. bm25() is called as a plain function so SQLite keeps only the best LIMIT+OFFSET rows in a heap
 * while scanning (ORDER BY rank makes FTS5 sort every match), and ties fall to the id, so offset pages never
 * overlap. `dirRank`: rank is smaller for better matches, so "desc" relevance (best first) is ascending rank.
 */
export function textRelevancePage(match: string, spec: SearchSpec, columns: string, hints: SearchHints, dirRank: 'ASC' | 'DESC'): BuiltSearch {
  const cap = hints.relevanceCap ?? RELEVANCE_CAP;
  if (hints.matchCount !== undefined && hints.matchCount > cap) {
    // Very broad (a first keystroke at 100k items): scoring every match is the whole cost of the page, and the
    // order among thousands of one-letter matches carries little. Only the newest `cap` matches are scored;
    // they come first, by relevance, then the older matches, newest first. The total stays exact.
    if (dirRank === 'ASC' && spec.offset + spec.limit + 1 <= cap) return scoredOnlyPage(match, spec, columns, cap);
    return cappedPage(match, spec, columns, cap, dirRank);
  }
  return relevance(
    `SELECT ${columns}, f.r AS sort_value FROM (SELECT rowid, ${BM25} AS r FROM videos_fts WHERE videos_fts MATCH ? ORDER BY r ${dirRank}, rowid ${dirRank} LIMIT ? OFFSET ?) f JOIN videos v ON v.id = f.rowid ORDER BY f.r ${dirRank}, v.id ${dirRank}`,
    [match, spec.limit + 1, spec.offset],
    match,
  );
}

/**
 * Best first, and the page lies within the scored matches (the pages a person sees first): the older matches
 * would only be sorted after them, so they are not read at all. Same rows as cappedPage.
 */
function scoredOnlyPage(match: string, spec: SearchSpec, columns: string, cap: number): BuiltSearch {
  return relevance(
    `SELECT ${columns}, f.r AS sort_value FROM (` +
      `SELECT rowid, ${BM25} AS r FROM videos_fts WHERE videos_fts MATCH ? AND rowid >= ${PIVOT} ORDER BY r ASC, rowid ASC LIMIT ? OFFSET ?` +
      `) f JOIN videos v ON v.id = f.rowid ORDER BY f.r ASC, v.id ASC`,
    [match, match, cap - 1, spec.limit + 1, spec.offset],
    match,
  );
}

/** The scored matches by relevance, then the older ones newest first (reversed for ascending relevance). */
function cappedPage(match: string, spec: SearchSpec, columns: string, cap: number, dirRank: 'ASC' | 'DESC'): BuiltSearch {
  return relevance(
    `SELECT ${columns}, f.r AS sort_value FROM (` +
      `SELECT rowid, r, 0 AS older, rowid AS k FROM (SELECT rowid, ${BM25} AS r FROM videos_fts WHERE videos_fts MATCH ? AND rowid >= ${PIVOT}) ` +
      `UNION ALL SELECT rowid, NULL, 1, -rowid FROM videos_fts WHERE videos_fts MATCH ? AND rowid < ${PIVOT} ` +
      `ORDER BY older ${dirRank}, r ${dirRank}, k ${dirRank} LIMIT ? OFFSET ?` +
      `) f JOIN videos v ON v.id = f.rowid ORDER BY f.older ${dirRank}, f.r ${dirRank}, f.k ${dirRank}`,
    [match, match, cap - 1, match, match, cap - 1, spec.limit + 1, spec.offset],
    match,
  );
}

function relevance(pageSql: string, pageParams: SqlValue[], match: string): BuiltSearch {
  return { pageSql, pageParams, countSql: MATCH_COUNT_SQL, countParams: [match], keyset: false, sortKey: 'relevance' };
}
