import { useState } from 'react';
import type { PresetField, PresetInfo } from '../../../shared/dto/jobs';

/** What the owner changed in a preset's form: numbers as typed (text), so a half-typed number is left alone. */
export type ParamEdits = Record<string, string | boolean>;
/** A value a job's params carry (the contract's overrides). */
export type ParamValue = string | number | boolean | null;

/** A field's value as the form shows it: text for files, numbers and enums; a flag for on/off. */
export function shownValue(field: PresetField, edits: ParamEdits): string | boolean {
  if (field.key in edits) return edits[field.key]!;
  if (field.type === 'boolean') return field.value === true;
  return field.value === null || field.value === undefined ? '' : String(field.value);
}

/** Needed now: required by the kind, or by another field's current value (the avatar's file while its source is "file"). */
export function isNeeded(field: PresetField, fields: PresetField[], edits: ParamEdits): boolean {
  if (field.required) return true;
  if (!field.requiredWhen) return false;
  const other = fields.find((f) => f.key === field.requiredWhen!.key);
  return !!other && shownValue(other, edits) === field.requiredWhen.value;
}

const isFullPath = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

function range(field: Extract<PresetField, { type: 'number' }>): string {
  const unit = field.unit ? ` ${field.unit}` : '';
  if (field.min !== null && field.max !== null) return `from ${field.min} to ${field.max}${unit}`;
  if (field.min !== null) return `${field.min}${unit} or more`;
  return `at most ${field.max}${unit}`;
}

/** The value to send for one field, or what is wrong with it in the form's words (the field named as the form names it). */
function check(field: PresetField, shown: string | boolean, needed: boolean): { value: ParamValue } | { error: string } {
  if (field.type === 'boolean') return { value: shown === true };
  const text = String(shown).trim();
  if (text === '') {
    if (needed) return { error: field.type === 'file' ? `${field.label}: choose a file` : `${field.label}: enter a value` };
    if (field.nullable) return { value: null };
    if (field.type === 'file') return { value: '' };
    return { error: `${field.label}: enter a number ${range(field as Extract<PresetField, { type: 'number' }>)}` };
  }
  if (field.type === 'file') return isFullPath(text) ? { value: text } : { error: `${field.label}: enter the full path of the file, like /home/you/logo.png` };
  if (field.type === 'enum') return field.options.includes(text) ? { value: text } : { error: `${field.label}: pick one of ${field.options.join(', ')}` };
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: `${field.label}: enter a number ${range(field)}` };
  if (field.integer && !Number.isInteger(n)) return { error: `${field.label}: enter a whole number ${range(field)}` };
  if ((field.min !== null && n < field.min) || (field.max !== null && n > field.max)) return { error: `${field.label}: enter a number ${range(field)}` };
  return { value: n };
}

export interface ParamCheck {
  /** The overrides to send with the job: the fields the owner changed, and every needed one. */
  params: Record<string, ParamValue>;
  /** Every field's values (for a preset file: the preset's own values with the owner's changes). */
  all: Record<string, ParamValue>;
  /** What is wrong, by field key. */
  errors: Record<string, string>;
  /** The first problem, for a disabled button's reason. */
  firstError: string | null;
}

export function checkParams(fields: PresetField[], edits: ParamEdits): ParamCheck {
  const params: Record<string, ParamValue> = {};
  const all: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const needed = isNeeded(field, fields, edits);
    const r = check(field, shownValue(field, edits), needed);
    if ('error' in r) errors[field.key] = r.error;
    else {
      all[field.key] = r.value;
      if (field.key in edits || needed) params[field.key] = r.value;
    }
  }
  return { params, all, errors, firstError: Object.values(errors)[0] ?? null };
}

/**
 * The parameter form's state for a form that queues with `preset`: the owner's changes, kept until the preset
 * changes (`reset`). `kept`: state held by the caller, for a form that must remember it while off screen.
 */
export function usePresetParams(preset: PresetInfo | undefined, kept?: [ParamEdits, (e: ParamEdits) => void]) {
  const own = useState<ParamEdits>({});
  const [edits, setEdits] = kept ?? own;
  const fields = preset?.fields ?? [];
  const checked = checkParams(fields, edits);
  return {
    fields,
    edits,
    ...checked,
    set: (key: string, value: string | boolean) => setEdits({ ...edits, [key]: value }),
    reset: () => setEdits({}),
  };
}
