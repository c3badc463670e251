import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KillPlan, KillPlanInfo } from '../../../shared/dto/killswitch';
import { killPlanSchema } from '../../../shared/contract/killswitch';
import { ChurchError } from '../../../shared/errors';
import { defaultPlan } from './defaultPlan';
import type { Platform } from './planCommands';

/** The plan file's name in a data dir: the studio's and every lab agent's own. */
export const PLAN_FILE = 'killswitch-plan.json';

export function planFilePath(dataDir: string): string {
  return join(dataDir, PLAN_FILE);
}

/** The kill switch's name for the platform it runs on (the plan's commands differ per platform). */
export function hostPlatform(p: NodeJS.Platform = process.platform): Platform {
  return p === 'win32' || p === 'darwin' ? p : 'linux';
}

export function parsePlan(raw: unknown, where: string): KillPlan {
  const parsed = killPlanSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ChurchError('INVALID_INPUT', `${where} is not a valid kill-switch plan: ${first ? `${first.path.join('.') || 'plan'}: ${first.message}` : 'rejected'}`);
  }
  return parsed.data as KillPlan;
}

/**
 * The saved plan of a data dir (a JSON file the owner may edit by hand), or the platform default when there is
 * none. Shared by the studio's kill switch and `church agent`, so both read a plan the same way. A file that does
 * not parse or is not a plan throws: the caller decides whether a default may run instead.
 */
export function loadPlan(dataDir: string, opts: { lab?: boolean } = {}): { plan: KillPlan; source: KillPlanInfo['source'] } {
  const file = planFilePath(dataDir);
  if (!existsSync(file)) return { plan: defaultPlan({ lab: opts.lab === true }), source: 'default' };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ChurchError('INVALID_INPUT', `the kill-switch plan ${file} is not valid JSON (${(e as Error).message}); fix it or reset the plan in Settings`);
  }
  return { plan: parsePlan(raw, file), source: 'settings' };
}
