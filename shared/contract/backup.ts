import { z } from 'zod';
import { OWNER, event, request } from './define';
import type { BackupList, BackupRunResult, BackupSettingsView, BackupStatus, RestoreOutcome } from '../dto/backup';

export const SNAPSHOT_ID = /^\d{8}-\d{6}-\d{3}(-[a-z0-9]{1,8})?$/;

export const resticSettingsSchema = z
  .object({
    repository: z.string().trim().min(1).max(1000).nullable(),
    keepDaily: z.number().int().min(0).max(365),
    keepWeekly: z.number().int().min(0).max(520),
    keepMonthly: z.number().int().min(0).max(240),
    checkEveryDays: z.number().int().min(1).max(365),
  })
  .strict();

export const backupSettingsSchema = z
  .object({
    enabled: z.boolean(),
    intervalHours: z.number().min(1).max(24 * 30),
    keep: z.number().int().min(1).max(365),
    restic: resticSettingsSchema,
  })
  .strict();

/**
 * A restic repository and password for this one call (a CLI attached to a running studio passes what restic's
 * variables give it): used for the call only, never stored; the audit log drops the password by its name. A
 * repository in Settings wins over one named here, and one named here needs its password with it.
 */
const resticForOneCall = {
  resticRepository: z.string().trim().min(1).max(1000).optional(),
  resticPassword: z.string().min(1).max(1000).optional(),
};

export const backupRequests = {
  'backup.status': request<BackupStatus>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The running phase and progress, the last backup result and the last restic check.',
  }),
  'backup.list': request<BackupList>()({
    actors: OWNER,
    input: z.object(resticForOneCall).strict(),
    description: 'Local snapshots (newest first) and, when a repository is configured, the restic snapshots.',
  }),
  'backup.run': request<BackupRunResult>()({
    actors: OWNER,
    input: z.object({ restic: z.boolean().default(true), resticRequired: z.boolean().optional(), ...resticForOneCall }).strict(),
    description:
      'Takes a verified local snapshot now and, when a restic repository is configured (Settings, else RESTIC_REPOSITORY), copies it off the machine; resticRequired refuses at once when none is.',
    mutates: true,
  }),
  'backup.restore': request<RestoreOutcome>()({
    actors: OWNER,
    input: z.object({ id: z.string().min(1).max(80), ...resticForOneCall }).strict(),
    description:
      'Restores a snapshot (local id or restic id) now: the studio closes its database, restores and reopens it (the window and serve); an in-process client restores on the next start. The current database is kept aside, never overwritten.',
    mutates: true,
  }),
  'backup.getSettings': request<BackupSettingsView>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Schedule, generations kept and the restic repository (the password is never returned).',
  }),
  'backup.setSettings': request<BackupSettingsView>()({
    actors: OWNER,
    input: backupSettingsSchema
      .extend({ resticPassword: z.string().min(1).max(1000).optional() })
      .partial()
      .strict(),
    description: 'Changes backup settings; a restic password goes to the keychain.',
    mutates: true,
  }),
};

export const backupEvents = {
  'backup.progress': event<BackupStatus>('The backup phase and progress changed, or a run ended.'),
};
