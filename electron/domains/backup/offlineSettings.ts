import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupSettingsData } from '../../../shared/dto/backup';
import { backupSettingsSchema } from '../../../shared/contract/backup';
import { ChurchError } from '../../../shared/errors';
import { SECRET_BINDINGS_KEY } from '../../platform/secrets';
import { DEFAULT_BACKUP_SETTINGS } from './BackupService';
import { ResticRepository } from './ResticRepository';
import { RESTIC_PASSWORD_SECRET, redactRepository, repositoryDestination, resticMovedNote } from './resticSecret';
import { passwordFromEnv, repositoryFromEnv } from './resticConventions';

/**
 * The backup settings read straight from the database file, read-only, for `church backups` and
 * `church restore` when the database cannot be opened as usual (damaged, or about to be replaced). Any
 * failure gives the defaults: the restic repository then comes from RESTIC_REPOSITORY.
 */
export function readBackupSettingsOffline(dataDir: string): BackupSettingsData {
  const parsed = readSettingOffline(dataDir, 'backup', (v) => backupSettingsSchema.safeParse(v));
  return parsed?.success ? parsed.data : DEFAULT_BACKUP_SETTINGS;
}

/** One settings row read straight from the file, read-only; null when absent or unreadable. */
function readSettingOffline<T>(dataDir: string, key: string, parse: (v: unknown) => T): T | null {
  const file = join(dataDir, 'studio.sqlite');
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? parse(JSON.parse(row.value)) : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/**
 * The repository for the CLI without a host, found as the studio finds it: the one in Settings, else restic's own
 * variables (RESTIC_REPOSITORY / _FILE, RESTIC_PASSWORD / _FILE / _COMMAND). Null when none is named; throws
 * when one is named without a password. A password entered for another repository than the one in Settings is
 * refused here too (docs/security.md).
 */
export function offlineRepository(dataDir: string, env: NodeJS.ProcessEnv, secret: (name: string) => string | null = () => null): ResticRepository | null {
  const fromSettings = readBackupSettingsOffline(dataDir).restic.repository;
  const repository = fromSettings ?? repositoryFromEnv(env);
  if (!repository) return null;
  const stored = secret(RESTIC_PASSWORD_SECRET);
  const password = stored !== null ? { value: stored } : passwordFromEnv(env, env.RESTIC_PASSWORD);
  if (!password) throw new ChurchError('UNAVAILABLE', `the restic repository ${redactRepository(repository)} needs its password: set RESTIC_PASSWORD, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND`);
  if (fromSettings) {
    const bound = readSettingOffline(dataDir, SECRET_BINDINGS_KEY, (v) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[RESTIC_PASSWORD_SECRET] : undefined));
    if (typeof bound === 'string' && bound !== '' && bound !== repositoryDestination(fromSettings)) throw new ChurchError('UNAVAILABLE', resticMovedNote(fromSettings), { secret: 'moved' });
  }
  return new ResticRepository({ repository, password, env });
}
