import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PresetInfo, PresetList } from '../../../../shared/dto/jobs';
import { presetFields } from './presetFields';
import { describeIssue, presetFileSchema, resolveParams } from './schema';

/**
 * Where the built-in preset files are: CHURCH_PRESETS_DIR, else `presets` beside a packaged app's resources
 * (electron-builder copies resources/ there), else the repo's resources/presets found upward from this module
 * (tsx, vitest and the electron-vite bundle all sit below the project root).
 */
export function builtInPresetDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHURCH_PRESETS_DIR) return env.CHURCH_PRESETS_DIR;
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(join(resourcesPath, 'presets'))) return join(resourcesPath, 'presets');
  let dir = import.meta.dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources', 'presets');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

function readDir(dir: string | null, source: PresetInfo['source'], into: Map<string, PresetInfo>, problems: PresetList['problems']): void {
  if (!dir || !existsSync(dir)) return;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, f);
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`not valid JSON (${(e as Error).message})`);
      }
      const parsed = presetFileSchema.safeParse(raw);
      if (!parsed.success) throw new Error(describeIssue(parsed.error));
      // Validate the params now for every kind except those that need a per-job value (watermark image).
      const p = parsed.data;
      if (p.kind !== 'watermark') resolveParams(p.kind, p.params);
      into.set(p.name, { name: p.name, kind: p.kind, description: p.description, source, file, params: p.params, fields: presetFields(p.kind, p.params) });
    } catch (e) {
      problems.push({ file, message: `preset ${f} ignored: ${(e as Error).message}; fix the file or delete it` });
    }
  }
}

/** Built-in presets, then the owner's (a user preset with a built-in's name replaces it). */
export function loadPresets(userDir: string, env: NodeJS.ProcessEnv = process.env): PresetList {
  const byName = new Map<string, PresetInfo>();
  const problems: PresetList['problems'] = [];
  const builtIn = builtInPresetDir(env);
  if (!builtIn) problems.push({ file: 'resources/presets', message: 'the built-in presets folder was not found; set CHURCH_PRESETS_DIR or reinstall the app' });
  readDir(builtIn, 'built-in', byName, problems);
  readDir(userDir, 'user', byName, problems);
  return { presets: [...byName.values()], problems, userDir };
}
