import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RestoreOutcome } from '../../../shared/dto/backup';
import { ChurchError } from '../../../shared/errors';
import { writeFileAtomic } from '../../platform/fs';
import { recordAcceptedBaseline } from '../killswitch';
import { DB_FILE, listLocalSnapshots, readManifest, snapshotId, snapshotPath } from './snapshotFolder';
import { EXTRA_FILES } from './takeSnapshot';

const LIVE_DB = 'studio.sqlite';
const PENDING = 'restore-pending.json';
/** The live database and its WAL files. */
export const DATABASE_FILES = [LIVE_DB, `${LIVE_DB}-wal`, `${LIVE_DB}-shm`] as const;

/**
 * Moves the live database (with its -wal and -shm) and the files a snapshot replaces into a fresh folder
 * `<dataDir>/kept-aside/<time>/`: nothing of the owner's is ever deleted or overwritten by a restore.
 * Returns that folder, or null when there was nothing to keep.
 */
export function keepAside(dataDir: string, now = new Date(), names: readonly string[] = [...DATABASE_FILES, ...EXTRA_FILES]): string | null {
  const present = names.filter((n) => existsSync(join(dataDir, n)));
  if (!present.some((n) => n.startsWith(LIVE_DB))) return null;
  const root = join(dataDir, 'kept-aside');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  let dir = join(root, snapshotId(now));
  for (let i = 2; existsSync(dir); i++) dir = join(root, `${snapshotId(now)}-${i}`);
  mkdirSync(dir, { mode: 0o700 });
  for (const n of present) renameSync(join(dataDir, n), join(dir, n));
  return dir;
}

/** A quick structural check of a database file before it replaces the live one. */
function checkRestorable(file: string): void {
  let db: Database.Database | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const r = db.pragma('quick_check') as { quick_check: string }[];
    if (r.some((x) => x.quick_check !== 'ok')) throw new Error(r[0]?.quick_check ?? 'quick_check failed');
  } catch (e) {
    throw new ChurchError('EXTERNAL', `the snapshot's database is damaged (${(e as Error).message}); pick another snapshot (church backups)`);
  } finally {
    db?.close();
  }
}

/**
 * Restores a snapshot folder into the data dir. The studio must not have the database open (the CLI refuses
 * while a studio runs; the desktop app restores on its next start, before it opens the database).
 */
export function restoreFromFolder(dataDir: string, folder: string, id: string): RestoreOutcome {
  const src = join(folder, DB_FILE);
  if (!existsSync(src)) throw new ChurchError('NOT_FOUND', `snapshot ${id} has no database file; pick another snapshot (church backups)`);
  checkRestorable(src);
  // The commands accepted so far are those of the plan in place now (when none were ever recorded): the snapshot's
  // plan lands as data, and a command it brings is pending until the owner accepts it. The record is not one of
  // the files a snapshot holds or a restore writes, so the snapshot cannot bring its own acceptance.
  recordAcceptedBaseline(dataDir);
  // Copy first, beside the live file, so a full disk fails before anything of the owner's moves.
  const incoming = join(dataDir, `.${LIVE_DB}.restoring`);
  copyFileSync(src, incoming);
  chmodSync(incoming, 0o600);
  let keptAside: string | null;
  try {
    keptAside = keepAside(dataDir);
  } catch (e) {
    rmSync(incoming, { force: true });
    throw e;
  }
  renameSync(incoming, join(dataDir, LIVE_DB));
  for (const name of EXTRA_FILES) {
    if (existsSync(join(folder, name))) cpSync(join(folder, name), join(dataDir, name), { recursive: true });
  }
  return { restoredId: id, keptAside, pending: false };
}

export function restoreLocalSnapshot(dataDir: string, id: string): RestoreOutcome {
  const folder = snapshotPath(dataDir, id);
  if (!readManifest(folder)) throw new ChurchError('NOT_FOUND', `there is no local snapshot ${id}; "church backups" lists them`);
  return restoreFromFolder(dataDir, folder, id);
}

/** The newest snapshot that passed its verification, for the recovery screen. */
export function newestVerifiedSnapshot(dataDir: string): ReturnType<typeof listLocalSnapshots>[number] | null {
  return listLocalSnapshots(dataDir).find((s) => s.verified) ?? null;
}

/** Asks the next start to restore `id` before it opens the database (the running studio holds it open now). */
export function scheduleRestore(dataDir: string, id: string): void {
  if (!readManifest(snapshotPath(dataDir, id))) throw new ChurchError('NOT_FOUND', `there is no local snapshot ${id}; "church backups" lists them`);
  writeFileAtomic(join(dataDir, PENDING), JSON.stringify({ id }) + '\n', 0o600);
}

/** Run before the database is opened: performs a restore the owner asked for in the running app. */
export function applyPendingRestore(dataDir: string): RestoreOutcome | null {
  const file = join(dataDir, PENDING);
  if (!existsSync(file)) return null;
  let id: string;
  try {
    id = (JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id;
  } catch {
    rmSync(file, { force: true });
    return null;
  }
  // Removed first: a snapshot that cannot be restored must not block every later start.
  rmSync(file, { force: true });
  return restoreLocalSnapshot(dataDir, id);
}
