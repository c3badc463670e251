import { join } from 'node:path';
import { z } from 'zod';
import { ChurchError } from '../../../shared/errors';
import { onBeforeMigration, openDatabase, type Db } from '../../platform/db';
import { peekSetting } from '../../platform/settings';
import { DEFAULT_BACKUP_SETTINGS } from './BackupService';
import { applyPendingRestore, newestVerifiedSnapshot } from './restoreSnapshot';
import { useSqliteBinding } from './sqlite';
import { runStartCheck, type StartCheckReport } from './startCheck';
import { asDatabaseProblem, describeStartFailure } from './startFailure';
import { takeSnapshotSync } from './takeSnapshot';

export function studioDatabaseFile(dataDir: string): string {
  return join(dataDir, 'studio.sqlite');
}

/** Only the local generations count here; the rest of the backup settings is the service's to read. */
const keepSchema = z.object({ keep: z.number().min(1) });

export interface OpenStudioDatabaseOptions {
  /** Only the primary process applies a pending restore and runs the start check. */
  isPrimary: boolean;
  /** Check the file before use (see startCheck.ts); 'full' always runs quick_check. */
  check: boolean | 'full';
  /** better-sqlite3's compiled module to load instead of the one in node_modules (Electron's own build). */
  sqliteBinding?: string;
}

/**
 * Opens the studio's database, first applying a restore the owner asked for and checking the file when asked
 * to; before the first migration changes an existing schema, a verified snapshot of it is taken (once per start).
 */
export function openStudioDatabase(dataDir: string, o: OpenStudioDatabaseOptions): { db: Db; startCheck: StartCheckReport | null } {
  // Every connection the backup service opens (snapshots, checks, restores) loads the same build.
  useSqliteBinding(o.sqliteBinding);
  const file = studioDatabaseFile(dataDir);
  // A restore chosen in the running app waits for this moment: nothing has the database open yet.
  if (o.isPrimary) applyPendingRestore(dataDir);
  const startCheck = o.check && o.isPrimary ? runStartCheck(dataDir, { forceFull: o.check === 'full' }) : null;
  let db: Db;
  try {
    db = openDatabase(file, { nativeBinding: o.sqliteBinding });
  } catch (e) {
    throw asDatabaseProblem(e, file) ?? e;
  }
  let snapshotted = false;
  onBeforeMigration(db, () => {
    if (snapshotted) return;
    snapshotted = true;
    // Read before the settings store exists (it would migrate its own table first).
    const { keep } = peekSetting(db, 'backup', keepSchema, { keep: DEFAULT_BACKUP_SETTINGS.keep });
    takeSnapshotSync(db, { dataDir, reason: 'pre-migration', keep });
  });
  return { db, startCheck };
}

/**
 * A damaged page or a newer schema met after the start (by a request, a one-shot command), in the recovery
 * screen's words: what is wrong and the way back. Null for any other failure.
 */
export function explainDatabaseFailure(e: unknown, dataDir: string): ChurchError | null {
  const problem = asDatabaseProblem(e, studioDatabaseFile(dataDir), false);
  return problem ? new ChurchError(problem.code, describeStartFailure(problem, dataDir, newestVerifiedSnapshot(dataDir)).message, problem.details) : null;
}
