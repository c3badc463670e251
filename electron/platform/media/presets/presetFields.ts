import { z } from 'zod';
import type { PresetField, PresetKind } from '../../../../shared/dto/jobs';
import { paramSchemas } from './schema';

/** How the UI names each parameter, with a line of help and a unit; a key missing here is shown by its own name. */
const WORDS: Record<string, { label: string; help?: string; unit?: string }> = {
  imagePath: { label: 'Watermark image', help: 'A PNG (with transparency) or JPEG laid over the video.' },
  file: { label: 'Overlay file', help: 'An image or video shown picture-in-picture (source “file”).' },
  source: { label: 'Overlay source', help: '“file”: the file below; “cue-track”: the video’s saved avatar cues.' },
  position: { label: 'Position' },
  corner: { label: 'Corner' },
  widthPercent: { label: 'Watermark width', help: 'As a share of the video’s width.', unit: '%' },
  sizePercent: { label: 'Overlay width', help: 'As a share of the video’s width.', unit: '%' },
  opacity: { label: 'Opacity', help: '0 is invisible, 1 is solid.' },
  marginPx: { label: 'Margin', help: 'Distance from the edges.', unit: 'px' },
  crf: { label: 'Quality (CRF)', help: 'Lower is better and larger; 18–28 is usual.' },
  x264Preset: { label: 'Encoder speed', help: 'Slower makes smaller files at the same quality.' },
  maxrateKbps: { label: 'Peak bitrate', unit: 'kbit/s' },
  maxHeight: { label: 'Largest size', help: 'The short side at most (never scaled up); empty keeps the source size.', unit: 'px' },
  audioKbps: { label: 'Audio bitrate', unit: 'kbit/s' },
  remuxWhenCompliant: { label: 'Copy when already web-ready', help: 'Skip the encode when the source plays in browsers as it is.' },
  encoder: { label: 'Video encoder' },
  segmentSec: { label: 'Segment length', unit: 's' },
  format: { label: 'Audio format' },
  copyWhenPossible: { label: 'Copy when possible', help: 'Keep the streams as they are when nothing needs re-encoding.' },
  bitrateKbps: { label: 'Bitrate', unit: 'kbit/s' },
  atSec: { label: 'Moment', help: 'Seconds into the video; empty picks 10 % of its length.', unit: 's' },
  width: { label: 'Width', help: 'The long side.', unit: 'px' },
  maxTiles: { label: 'Most tiles' },
  tileWidth: { label: 'Tile width', unit: 'px' },
  columns: { label: 'Columns' },
};

/** Parameters a form leaves to dedicated controls (chunking has its own) or cannot show as one field (lists). */
const NOT_IN_FORMS = new Set(['chunkSeconds']);
const FILE_KEYS = new Set(['imagePath', 'file']);
/** Values a schema leaves optional but a kind's builder needs in one of its modes. */
const REQUIRED_WHEN: Record<string, { key: string; value: string }> = { file: { key: 'source', value: 'file' } };

interface JsonProp {
  type?: string | string[];
  anyOf?: JsonProp[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

/** The non-null branch of a property and whether null is allowed. */
function unwrapNull(prop: JsonProp): { base: JsonProp; nullable: boolean } {
  if (prop.anyOf) {
    const base = prop.anyOf.find((p) => p.type !== 'null') ?? {};
    return { base, nullable: prop.anyOf.some((p) => p.type === 'null') };
  }
  if (Array.isArray(prop.type)) {
    const types = prop.type.filter((t) => t !== 'null');
    return { base: { ...prop, type: types[0] }, nullable: types.length < prop.type.length };
  }
  return { base: prop, nullable: false };
}

function fieldOf(key: string, prop: JsonProp, required: boolean, presetValue: unknown): PresetField | null {
  const { base, nullable } = unwrapNull(prop);
  const words = WORDS[key] ?? { label: key };
  const value = presetValue !== undefined ? presetValue : prop.default;
  const common = {
    key,
    label: words.label,
    help: words.help ?? '',
    nullable,
    value,
    // A built-in's "" (the watermark image) is a blank to fill in, not a value.
    required: required && (value === undefined || value === ''),
    ...(REQUIRED_WHEN[key] ? { requiredWhen: REQUIRED_WHEN[key] } : {}),
  };
  if (FILE_KEYS.has(key)) return { ...common, type: 'file' };
  if (base.enum) return { ...common, type: 'enum', options: base.enum.map(String) };
  if (base.type === 'boolean') return { ...common, type: 'boolean' };
  if (base.type === 'number' || base.type === 'integer') {
    return { ...common, type: 'number', integer: base.type === 'integer', min: base.minimum ?? null, max: base.maximum ?? null, unit: words.unit ?? '' };
  }
  return null;
}

type JsonObject = { properties?: Record<string, JsonProp>; required?: string[] };
const jsonSchemas = new Map<PresetKind, JsonObject>();

function jsonSchemaOf(kind: PresetKind): JsonObject {
  let schema = jsonSchemas.get(kind);
  if (!schema) {
    schema = z.toJSONSchema(paramSchemas[kind], { io: 'input', unrepresentable: 'any' }) as JsonObject;
    jsonSchemas.set(kind, schema);
  }
  return schema;
}

/** A preset kind's parameters as form fields, filled with the preset's own values (defaults where it sets none). */
export function presetFields(kind: PresetKind, params: Record<string, unknown>): PresetField[] {
  const schema = jsonSchemaOf(kind);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => !NOT_IN_FORMS.has(key))
    .map(([key, prop]) => fieldOf(key, prop, required.has(key), params[key]))
    .filter((f): f is PresetField => f !== null);
}
