import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSnapshot } from '../../../shared/dto/backup';
import type { StartFailure } from '../../../shared/dto/recovery';
import { ChurchError } from '../../../shared/errors';
import { NewerSchemaError } from '../../platform/db';
import { DATABASE_FILES, keepAside, restoreLocalSnapshot } from './restoreSnapshot';

export type DatabaseProblemKind = 'corrupt' | 'unreadable' | 'newer-schema';

/** The studio's database cannot be used as it is; the recovery screen (or the CLI's message) explains why. */
export class DatabaseProblem extends ChurchError {
  constructor(
    readonly kind: DatabaseProblemKind,
    readonly file: string,
    detail: string,
  ) {
    super('UNAVAILABLE', `${describeProblem(kind, file)} (${detail})`, { database: kind });
    this.name = 'DatabaseProblem';
  }
}

function describeProblem(kind: DatabaseProblemKind, file: string): string {
  switch (kind) {
    case 'corrupt':
      return `the studio's database ${file} is damaged`;
    case 'unreadable':
      return `the studio's database ${file} cannot be opened`;
    case 'newer-schema':
      return `the studio's database ${file} was written by a newer version of the studio`;
  }
}

/**
 * `PRAGMA quick_check` on the database file, read-only: finds damaged pages before any service relies on
 * them. Returns null when the file is fine or does not exist yet (a first start).
 */
export function checkDatabaseFile(file: string): DatabaseProblem | null {
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const bad = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
    return bad.length ? new DatabaseProblem('corrupt', file, bad.slice(0, 2).join('; ')) : null;
  } catch (e) {
    return asDatabaseProblem(e, file);
  } finally {
    db?.close();
  }
}

/**
 * Maps what opening or migrating the database threw to a DatabaseProblem; null when the database is not the
 * cause. File-permission errors count only while opening it (later ones may concern any other file).
 */
export function asDatabaseProblem(e: unknown, file: string, whileOpening = true): DatabaseProblem | null {
  if (e instanceof DatabaseProblem) return e;
  if (e instanceof NewerSchemaError) return new DatabaseProblem('newer-schema', file, e.message);
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
    return new DatabaseProblem('corrupt', file, message);
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || (whileOpening && (code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM'))) {
    return new DatabaseProblem('unreadable', file, message);
  }
  return null;
}

/** What the recovery screen shows and offers when the studio cannot start; the CLI prints `message` and exits 1. */
export type { StartFailure };

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';

export function describeStartFailure(e: unknown, dataDir: string, newest: LocalSnapshot | null): StartFailure {
  const file = join(dataDir, 'studio.sqlite');
  const db = asDatabaseProblem(e, file);
  if (db) {
    const restoreHint = newest
      ? `restore the newest verified snapshot (${newest.id}, taken ${newest.createdAt})`
      : 'there is no verified snapshot to restore';
    const what =
      db.kind === 'newer-schema'
        ? 'Install the newer version of the studio again, or'
        : db.kind === 'unreadable'
          ? 'Check the file\'s owner and permissions, or'
          : 'You can';
    return {
      kind: 'database',
      problem: db.kind,
      title: db.kind === 'newer-schema' ? 'The database is from a newer version' : db.kind === 'corrupt' ? 'The database is damaged' : 'The database cannot be opened',
      message: `${db.message}. ${what} ${newest ? `${restoreHint}, or keep it aside and start with an empty library` : `keep it aside and start with an empty library (${restoreHint})`}; the current file is kept aside, never deleted. From a terminal: church backups, then church restore ID --yes.`,
      detail: `${db.message}.\nFrom a terminal: church backups lists the snapshots, church restore ID --yes restores one.`,
      choices: newest ? ['restore-newest', 'start-empty', 'quit'] : ['start-empty', 'quit'],
      newest,
    };
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
    return {
      kind: 'disk-full',
      problem: null,
      title: 'The disk is full',
      message: `The studio could not start because the disk holding ${dataDir} is full (${oneLine(e)}). Free some space there, then start the studio again.`,
      detail: `Data folder: ${dataDir}\n${oneLine(e)}`,
      choices: ['quit'],
      newest: null,
    };
  }
  return {
    kind: 'other',
    problem: null,
    title: 'The studio could not start',
    message: `The studio could not start: ${oneLine(e)}. Run "church doctor --data-dir ${dataDir}" for details, then start the studio again.`,
    detail: `${oneLine(e)}\nData folder: ${dataDir}\nFrom a terminal: church doctor --data-dir ${dataDir} checks the studio and says what is wrong.`,
    choices: ['quit'],
    newest: null,
  };
}

/** Carries out the owner's choice on the recovery screen; the database must not be open. */
export function performRecovery(choice: 'restore-newest' | 'start-empty', dataDir: string, newest: LocalSnapshot | null): { keptAside: string | null; restoredId: string | null } {
  if (choice === 'restore-newest') {
    if (!newest) throw new ChurchError('NOT_FOUND', 'there is no verified snapshot to restore; keep the database aside and start empty instead');
    const r = restoreLocalSnapshot(dataDir, newest.id);
    return { keptAside: r.keptAside, restoredId: r.restoredId };
  }
  return { keptAside: keepAside(dataDir, new Date(), DATABASE_FILES), restoredId: null };
}
