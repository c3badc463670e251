import { z } from 'zod';
import type { JobEngineSettings, NoSpaceMode, RecoveryMode } from '../../../shared/dto/jobs';
import type { SettingsStore } from '../../platform/settings';

const SETTINGS = {
  concurrency: { key: 'jobs.concurrency', schema: z.number().int().min(1).max(64) },
  recovery: { key: 'jobs.recovery', schema: z.enum(['requeue', 'leave']) },
  noSpace: { key: 'jobs.noSpace', schema: z.enum(['wait', 'fail']) },
};

/** One concurrent encode per two cores: x264 already uses every core, more jobs only fight for cache. */
export function defaultConcurrency(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

export function readEngineSettings(settings: SettingsStore, cores: number): JobEngineSettings {
  const def = defaultConcurrency(cores);
  return {
    concurrency: settings.get(SETTINGS.concurrency.key, SETTINGS.concurrency.schema, def),
    recovery: settings.get(SETTINGS.recovery.key, SETTINGS.recovery.schema, 'requeue'),
    noSpace: settings.get(SETTINGS.noSpace.key, SETTINGS.noSpace.schema, 'wait'),
    defaultConcurrency: def,
  };
}

export function writeEngineSettings(settings: SettingsStore, patch: { concurrency?: number; recovery?: RecoveryMode; noSpace?: NoSpaceMode }): void {
  if (patch.noSpace !== undefined) settings.set(SETTINGS.noSpace.key, SETTINGS.noSpace.schema, patch.noSpace);
  if (patch.concurrency !== undefined) settings.set(SETTINGS.concurrency.key, SETTINGS.concurrency.schema, patch.concurrency);
  if (patch.recovery !== undefined) settings.set(SETTINGS.recovery.key, SETTINGS.recovery.schema, patch.recovery);
}
