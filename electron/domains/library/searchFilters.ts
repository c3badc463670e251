import type { Clauses, SearchSpec, SqlValue } from './searchSpec';

/** Tags are compared trimmed, lower-cased and with inner spaces collapsed. */
export function normaliseTag(t: string): string {
  return t.trim().replace(/\s+/g, ' ').toLowerCase();
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** The spec's keys that are not filters: a spec with a query and only these is a text-only search. */
const NOT_FILTERS = ['query', 'sort', 'order', 'limit', 'offset', 'cursor', 'withTotal'];

/** A text query and no other filter. */
export function isTextOnly(spec: SearchSpec, match: string | null): boolean {
  return match !== null && Object.entries(spec).every(([k, v]) => v === undefined || NOT_FILTERS.includes(k));
}

/** The column filters (everything but the text query and the tags), in a fixed order. */
export function columnFilters(spec: SearchSpec): Clauses {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...values: SqlValue[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (spec.kind) add('v.kind = ?', spec.kind);
  if (spec.tiers?.length) add(`v.tier IN (${placeholders(spec.tiers.length)})`, ...spec.tiers);
  if (spec.minRating !== undefined) add('v.rating >= ?', spec.minRating);
  if (spec.maxRating !== undefined) add('v.rating <= ?', spec.maxRating);
  if (spec.favourite !== undefined) add('v.favourite = ?', spec.favourite ? 1 : 0);
  if (spec.minDurationSec !== undefined) add('v.duration_sec >= ?', spec.minDurationSec);
  if (spec.maxDurationSec !== undefined) add('v.duration_sec <= ?', spec.maxDurationSec);
  if (spec.minHeight !== undefined) add('v.height >= ?', spec.minHeight);
  if (spec.maxHeight !== undefined) add('v.height <= ?', spec.maxHeight);
  if (spec.codecs?.length) add(`v.video_codec IN (${placeholders(spec.codecs.length)})`, ...spec.codecs.map((c) => c.toLowerCase()));
  if (spec.missing !== undefined) add('v.missing = ?', spec.missing ? 1 : 0);
  if (spec.duplicate !== undefined) add(spec.duplicate ? 'v.dup_count > 0' : 'v.dup_count = 0');
  if (spec.collectionId !== undefined) add('v.id IN (SELECT video_id FROM collection_items WHERE collection_id = ?)', spec.collectionId);
  if (spec.rootId !== undefined) add('v.root_id = ?', spec.rootId);
  return { where, params };
}

/**
 * The tag filter in its two forms. The page of common tags walks the sort index and tests each row (`exists`);
 * the count (and rare tags) start from the tagged rows (`in`). Null when the spec filters on no tag.
 */
export function tagFilters(spec: SearchSpec): { in: Clauses; exists: Clauses } | null {
  if (!spec.tags?.length) return null;
  const names = [...new Set(spec.tags.map(normaliseTag))];
  return {
    // One membership test per tag (AND): each is a range of the (tag_id, video_id) index.
    in: {
      where: [names.map(() => 'v.id IN (SELECT video_id FROM video_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?))').join(' AND ')],
      params: names,
    },
    exists: {
      where: names.map(() => 'EXISTS (SELECT 1 FROM video_tags vt WHERE vt.video_id = v.id AND vt.tag_id = (SELECT id FROM tags WHERE name = ?))'),
      params: names,
    },
  };
}

/**
 * A range filter on the sort key itself, restated on the index expression, lets the index walk start at it
 * (the resolution and duration sort keys coalesce NULL to -1).
 */
export function sortKeyRanges(spec: SearchSpec, sortKey: string): Clauses {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const range = (expr: string, min: number | undefined, max: number | undefined) => {
    if (min !== undefined) {
      where.push(`${expr} >= ?`);
      params.push(min);
    }
    if (max !== undefined) {
      where.push(`${expr} <= ?`);
      params.push(max);
    }
  };
  if (sortKey === 'resolution') range('coalesce(v.height, -1)', spec.minHeight, spec.maxHeight);
  if (sortKey === 'duration') range('coalesce(v.duration_sec, -1)', spec.minDurationSec, spec.maxDurationSec);
  return { where, params };
}
