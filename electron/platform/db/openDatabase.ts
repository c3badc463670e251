import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDatabaseFiles } from '../fs';

export type Db = Database.Database;

/**
 * Opens the studio database in WAL mode (readers never block the writer, so the UI stays responsive
 * while an import or sync writes) with foreign keys enforced.
 */
export function openDatabase(file: string, opts: { nativeBinding?: string } = {}): Db {
  // Customers and the audit log are in here: owner-only, as are the -wal and -shm SQLite makes beside it.
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ensurePrivateDatabaseFiles(file);
  }
  // nativeBinding: the desktop app from a source checkout loads Electron's build, kept apart from Node's.
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across app crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
