import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChurchError } from '../../../../shared/errors';
import type { PresetList } from '../../../../shared/dto/jobs';
import { writeFileAtomic } from '../../fs';
import { describeIssue, paramSchemas, presetFileSchema, type PresetFile } from './schema';

/**
 * The owner's presets are JSON files in the data dir's presets folder, one per name (`<name>.json`), written
 * whole (temp + rename). The params are checked against the kind's schema before anything is written; a blank
 * the job fills in (the watermark image, the overlay file) may stay blank.
 */
export function saveUserPreset(userDir: string, preset: PresetFile): string {
  const parsed = presetFileSchema.safeParse(preset);
  if (!parsed.success) throw new ChurchError('INVALID_INPUT', `preset ${describeIssue(parsed.error)}`);
  const { name, kind, description, params } = parsed.data;
  const check = paramSchemas[kind].safeParse({ imagePath: kind === 'watermark' ? 'chosen-per-job' : undefined, ...dropBlank(params) });
  if (!check.success) throw new ChurchError('INVALID_INPUT', `preset parameter ${describeIssue(check.error)}`);
  mkdirSync(userDir, { recursive: true });
  const file = join(userDir, `${name}.json`);
  writeFileAtomic(file, `${JSON.stringify({ name, kind, description, params }, null, 2)}\n`);
  return file;
}

/** Deletes a user preset by name; built-in presets are part of the app and cannot be deleted. */
export function deleteUserPreset(list: PresetList, name: string): void {
  const preset = list.presets.find((p) => p.name === name && p.source === 'user');
  if (!preset) {
    const builtIn = list.presets.some((p) => p.name === name);
    throw new ChurchError('NOT_FOUND', builtIn ? `“${name}” is a built-in preset; only your own presets can be deleted` : `there is no user preset “${name}”`);
  }
  if (existsSync(preset.file)) rmSync(preset.file);
}

function dropBlank(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''));
}
