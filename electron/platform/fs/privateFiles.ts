import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

const POSIX = process.platform !== 'win32';

/**
 * A folder only its owner can enter (0700 on POSIX): the studio's data dir holds customers, the audit log and
 * the attach key. An existing folder is tightened too, so an install from before this rule is fixed on start.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) chmodSync(dir, 0o700);
}

/**
 * Makes a SQLite database and its -wal/-shm owner-only (0600 on POSIX). The file is created empty at 0600
 * before SQLite opens it, because SQLite gives the -wal and -shm files the mode of the database file.
 */
export function ensurePrivateDatabaseFiles(file: string): void {
  if (!POSIX) return;
  if (!existsSync(file)) {
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // not there (yet): SQLite creates it with the mode of the database file
    }
  }
}
