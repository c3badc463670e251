import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupSettingsData } from '../../../shared/dto/backup';
import { backupSettingsSchema } from '../../../shared/contract/backup';
import { DEFAULT_BACKUP_SETTINGS, RESTIC_PASSWORD_SECRET } from './BackupService';
import { ResticRepository } from './ResticRepository';

/**
 * The backup settings read straight from the database file, read-only, for `church backups` and
 * `church restore` when the database cannot be opened as usual (damaged, or about to be replaced). Any
 * failure gives the defaults: the restic repository then comes from RESTIC_REPOSITORY.
 */
export function readBackupSettingsOffline(dataDir: string): BackupSettingsData {
  const file = join(dataDir, 'studio.sqlite');
  if (!existsSync(file)) return DEFAULT_BACKUP_SETTINGS;
  let db: Database.Database | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const row = db.prepare("SELECT value FROM settings WHERE key = 'backup'").get() as { value: string } | undefined;
    const parsed = row ? backupSettingsSchema.safeParse(JSON.parse(row.value)) : null;
    return parsed?.success ? parsed.data : DEFAULT_BACKUP_SETTINGS;
  } catch {
    return DEFAULT_BACKUP_SETTINGS;
  } finally {
    db?.close();
  }
}

/** The repository for the CLI without a host: the setting (or RESTIC_REPOSITORY) and RESTIC_PASSWORD. */
export function offlineRepository(dataDir: string, env: NodeJS.ProcessEnv, secret: (name: string) => string | null = () => null): ResticRepository | null {
  const repository = readBackupSettingsOffline(dataDir).restic.repository ?? env.RESTIC_REPOSITORY ?? null;
  const password = secret(RESTIC_PASSWORD_SECRET) ?? env.RESTIC_PASSWORD ?? null;
  if (!repository || !password) return null;
  return new ResticRepository({ repository, password, env });
}
