import type { LibraryFilters, LibrarySort } from '../../../shared/dto/library';

export interface SearchSpec extends LibraryFilters {
  sort: LibrarySort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  cursor?: string;
  withTotal: boolean;
}

export type SqlValue = string | number;

/** SQL conditions (joined with AND) and their parameters, in order. */
export interface Clauses {
  where: string[];
  params: SqlValue[];
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
