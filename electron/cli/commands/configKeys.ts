import type { z } from 'zod';
import { ChurchError } from '../../../shared/errors';

/**
 * Settings as dotted keys, read off the contract's zod schemas rather than a list of names: a field added to a
 * schema (a new alert channel in the monitor settings) is a key of `church config` with no change here.
 *
 * A key walks the schema: an object by its field names, a record by any name (`mcp.perMinute.transcode`), and a
 * list of objects with an `id` by that id (`monitor.rules.cpu-temp.warn`). Anything else is one value.
 */

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; entries?: Record<string, string> };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema without optional/nullable/default around it, and what those wrappers allow. */
export function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; nullable: boolean } {
  let inner = schema;
  let optional = false;
  let nullable = false;
  for (let d = defOf(inner); WRAPPERS.has(d.type) && d.innerType; d = defOf(inner)) {
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') optional = true;
    if (d.type === 'nullable') nullable = true;
    inner = d.innerType;
  }
  return { inner, optional, nullable };
}

export const kindOf = (schema: z.ZodType): string => defOf(unwrap(schema).inner).type;

/** A list whose items are objects with an `id` field: addressed item by item. */
function idElement(schema: z.ZodType): z.ZodType | null {
  const d = defOf(unwrap(schema).inner);
  if (d.type !== 'array' || !d.element) return null;
  const el = defOf(unwrap(d.element).inner);
  return el.type === 'object' && el.shape && 'id' in el.shape ? d.element : null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema one step down, or null when the segment names nothing there. */
function childSchema(schema: z.ZodType, segment: string): z.ZodType | null {
  const el = idElement(schema);
  if (el) return el;
  const d = defOf(unwrap(schema).inner);
  if (d.type === 'object') return d.shape?.[segment] ?? null;
  if (d.type === 'record') return d.valueType ?? null;
  return null;
}

export interface ConfigEntry {
  key: string;
  /** undefined: an optional setting that is not set. */
  value: unknown;
}

/** Every key under `prefix` with its value, in schema order (the order the settings screens show them). */
export function listEntries(prefix: string, schema: z.ZodType, value: unknown): ConfigEntry[] {
  const d = defOf(unwrap(schema).inner);
  const el = idElement(schema);
  if (el && Array.isArray(value) && value.length > 0) {
    return value.flatMap((item) => listEntries(`${prefix}.${String((item as { id?: unknown }).id)}`, el, item));
  }
  if (d.type === 'object' && d.shape && (isPlainObject(value) || value === undefined)) {
    return Object.entries(d.shape).flatMap(([k, s]) => listEntries(`${prefix}.${k}`, s, (value as Record<string, unknown> | undefined)?.[k]));
  }
  if (d.type === 'record' && d.valueType && isPlainObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => listEntries(`${prefix}.${k}`, d.valueType!, v));
  }
  return [{ key: prefix, value }];
}

/** The schema a key (below its section) names; throws with the nearest known key when it names none. */
export function schemaAt(section: string, schema: z.ZodType, path: string[]): z.ZodType {
  let s = schema;
  for (let i = 0; i < path.length; i++) {
    const next = childSchema(s, path[i]!);
    if (!next) throw unknownKey([section, ...path].join('.'), [section, ...path.slice(0, i)].join('.'), s);
    s = next;
  }
  return s;
}

function unknownKey(key: string, parent: string, schema: z.ZodType): ChurchError {
  const d = defOf(unwrap(schema).inner);
  const known = d.type === 'object' && d.shape ? Object.keys(d.shape).map((k) => `${parent}.${k}`) : [];
  const hint = known.length ? `; under ${parent} there are ${known.join(', ')}` : `; ${parent} is one value, set it as a whole`;
  return new ChurchError('INVALID_INPUT', `there is no setting ${key}${hint} ("church config list" shows them all)`, { key });
}

/** The value at `path` in `data` (undefined when absent). */
export function valueAt(schema: z.ZodType, data: unknown, path: string[]): unknown {
  let s = schema;
  let v: unknown = data;
  for (const seg of path) {
    if (idElement(s)) v = Array.isArray(v) ? v.find((item) => isPlainObject(item) && item.id === seg) : undefined;
    else v = isPlainObject(v) ? v[seg] : undefined;
    s = childSchema(s, seg) ?? s;
  }
  return v;
}

/**
 * `data` with the value at `path` replaced (`undefined` removes it: an optional field, a record entry or a list
 * item). The input is not changed. A list item that is not there is refused: add one by setting the whole list.
 */
export function withValue(trail: string[], schema: z.ZodType, data: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [seg, ...rest] = path as [string, ...string[]];
  const child = childSchema(schema, seg)!;
  if (idElement(schema)) {
    const list = Array.isArray(data) ? data : [];
    const at = list.findIndex((item) => isPlainObject(item) && item.id === seg);
    if (at === -1) {
      const listKey = trail.join('.');
      throw new ChurchError('NOT_FOUND', `there is no item "${seg}" in ${listKey}; to add one, set the whole list as JSON ("church config get ${listKey}" shows it)`);
    }
    if (value === undefined && rest.length === 0) return list.filter((_, i) => i !== at);
    return list.map((item, i) => (i === at ? withValue([...trail, seg], child, item, rest, value) : item));
  }
  const obj = isPlainObject(data) ? { ...data } : {};
  const next = withValue([...trail, seg], child, obj[seg], rest, value);
  if (next === undefined) delete obj[seg];
  else obj[seg] = next;
  return obj;
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/**
 * The text after `church config set KEY` as the value the schema expects: words for text and choices, numbers,
 * true/false (yes/no, on/off), `null` where the setting may be empty, a list as JSON or comma-separated, and
 * JSON for the rest.
 */
export function parseValue(key: string, schema: z.ZodType, text: string): unknown {
  const { inner, nullable } = unwrap(schema);
  const kind = defOf(inner).type;
  if (nullable && text === 'null' && kind !== 'string') return null;
  switch (kind) {
    case 'string':
    case 'enum':
    case 'literal':
      return text;
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new ChurchError('INVALID_INPUT', `${key} takes a number, not "${text}"`, { key });
      return n;
    }
    case 'boolean':
      if (TRUE.has(text.toLowerCase())) return true;
      if (FALSE.has(text.toLowerCase())) return false;
      throw new ChurchError('INVALID_INPUT', `${key} takes true or false, not "${text}"`, { key });
    case 'array': {
      if (text.trim().startsWith('[')) return parseJson(key, text);
      const el = defOf(inner).element;
      const items = text.split(',').map((t) => t.trim()).filter(Boolean);
      return el && kindOf(el) === 'number' ? items.map((t) => parseValue(key, el, t)) : items;
    }
    default:
      return parseJson(key, text);
  }
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ChurchError('INVALID_INPUT', `${key} takes a JSON value here (like {"a": 1} or [1, 2]); "${text}" is not JSON`, { key });
  }
}

/** What `unset` leaves: nothing for an optional setting, null where empty is allowed, an empty list or map. */
export function emptyValue(key: string, schema: z.ZodType): unknown {
  const { inner, optional, nullable } = unwrap(schema);
  if (optional) return undefined;
  if (nullable) return null;
  const kind = defOf(inner).type;
  if (kind === 'array') return [];
  if (kind === 'record') return {};
  throw new ChurchError('INVALID_INPUT', `${key} cannot be left empty; set it to the value you want ("church config get ${key}" shows the current one)`, { key });
}

/** A value as `get` prints it: text as it is, everything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The value with only what the schema names (a view's extras, such as a password note, left out), so what was
 * read can be saved back through a strict schema.
 */
export function fitToSchema(schema: z.ZodType, value: unknown): unknown {
  const d = defOf(unwrap(schema).inner);
  if (d.type === 'object' && d.shape && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(d.shape)) if (value[k] !== undefined) out[k] = fitToSchema(s, value[k]);
    return out;
  }
  if (d.type === 'array' && d.element && Array.isArray(value)) return value.map((v) => fitToSchema(d.element!, v));
  return value;
}

/** True when the key names one entry of a map or one item of a list by id: `unset` removes the entry. */
export function isEntry(schema: z.ZodType, path: string[]): boolean {
  if (path.length === 0) return false;
  let parent = schema;
  for (const seg of path.slice(0, -1)) parent = childSchema(parent, seg) ?? parent;
  return idElement(parent) !== null || defOf(unwrap(parent).inner).type === 'record';
}

/** A schema issue's path as a key: list positions in a list of items with ids become the ids (`rules.0` → `rules.cpu-temp`). */
export function keyOfIssue(schema: z.ZodType, data: unknown, path: PropertyKey[]): string[] {
  const out: string[] = [];
  let s: z.ZodType | null = schema;
  let v: unknown = data;
  for (const seg of path) {
    const item: unknown = Array.isArray(v) && typeof seg === 'number' ? v[seg] : isPlainObject(v) ? v[String(seg)] : undefined;
    const id = s && idElement(s) && isPlainObject(item) && typeof item.id === 'string' ? item.id : null;
    out.push(id ?? String(seg));
    s = s ? (idElement(s) ?? childSchema(s, String(seg))) : null;
    v = item;
  }
  return out;
}
