import { AuditLog } from '../platform/audit';
import type { Db } from '../platform/db';
import { asDatabaseProblem, openStudioDatabase, recordCleanClose, studioDatabaseFile, type StartCheckReport } from '../domains/backup';
import { ensurePrivateDir } from '../platform/fs';
import { DatedSecretStore, EnvironmentSecretStore, takeSecretsFromEnv } from '../platform/secrets';
import { SettingsStore } from '../platform/settings';
import { EventHub } from './EventHub';
import { applyAuditFileSettings } from './handlers/audit';
import type { HostCore } from './hostCore';
import { SECRET_ENV_VARS, type HostOptions } from './hostOptions';
import { acquirePrimary } from './primaryLock';

export interface OpenedCore {
  core: HostCore;
  /** Closes the database and gives up the primary lock; `clean` records a clean close (primary only). */
  release(clean: boolean): void;
}

/**
 * What every host stands on, whatever it composes: the data dir, the primary lock, the checked database, the
 * audit log, settings and secrets. Shared by createHost (every domain) and requestHost (the domains a command calls).
 */
export function openHostCore(opts: HostOptions): OpenedCore {
  const env = opts.env ?? process.env;
  const logError = opts.logError ?? ((msg: string, e: unknown) => console.error(msg, e));
  ensurePrivateDir(opts.dataDir);
  const primary = acquirePrimary(opts.dataDir);
  let db: Db;
  let startCheck: StartCheckReport | null;
  try {
    const check = opts.checkDatabase ?? (primary.isPrimary && opts.startEngines !== false);
    ({ db, startCheck } = openStudioDatabase(opts.dataDir, { isPrimary: primary.isPrimary, check, sqliteBinding: opts.sqliteBinding }));
  } catch (e) {
    primary.release();
    throw e;
  }
  const release = (clean: boolean): void => {
    db.close();
    if (clean && primary.isPrimary) recordCleanClose(opts.dataDir, startCheck !== null);
    primary.release();
  };
  try {
    const audit = new AuditLog(db);
    const settings = new SettingsStore(db);
    // Every secret records when it was set (the values pass through untouched: nothing stored before is lost).
    const secrets = new DatedSecretStore(opts.secrets ?? new EnvironmentSecretStore(takeSecretsFromEnv(env, SECRET_ENV_VARS), SECRET_ENV_VARS), settings);
    const core: HostCore = { dataDir: opts.dataDir, env, db, audit, events: new EventHub(), secrets, settings, isPrimary: primary.isPrimary, startCheck, logError };
    applyAuditFileSettings(audit, core.settings);
    audit.onFileError = (e) => logError('the audit file could not be written (the entry is in the database)', e);
    return { core, release };
  } catch (e) {
    release(false);
    throw asDatabaseProblem(e, studioDatabaseFile(opts.dataDir), false) ?? e;
  }
}
