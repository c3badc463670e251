import { openSqlite } from './sqlite';
import { chmodSync, cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSnapshot, SnapshotReason } from '../../../shared/dto/backup';
import { ChurchError } from '../../../shared/errors';
import type { Db } from '../../platform/db';
import { writeFileAtomic } from '../../platform/fs';
import { backupsDir, DB_FILE, folderSize, MANIFEST, pruneLocalSnapshots, snapshotId } from './snapshotFolder';
import { countDifferences, rowCounts, userTables } from './tableDigest';
import { verifyCopyInWorker } from './verifyInWorker';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Files beside the database that hold the owner's work: the kill-switch plan and user presets. */
export const EXTRA_FILES = ['killswitch-plan.json', 'presets'] as const;

export interface SnapshotOptions {
  dataDir: string;
  reason: SnapshotReason;
  /** Local generations kept after this one is written. */
  keep: number;
  now?: () => Date;
  /** Fraction of the database copied, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Pages copied per step; smaller steps give the studio's own queries more turns. */
  pagesPerStep?: number;
  /** VACUUM the verified copy so restic's chunks deduplicate a day's edits (default true; the bench compares). */
  compact?: boolean;
}

function prepareFolder(dataDir: string, now: Date): { id: string; partial: string } {
  const root = backupsDir(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  let id = snapshotId(now);
  // Two snapshots in one millisecond (a test, a pre-migration one right after a manual one) get a suffix.
  for (let i = 2; existsSync(join(root, id)); i++) id = `${snapshotId(now)}-${i}`;
  const partial = join(root, `.partial-${id}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { mode: 0o700 });
  return { id, partial };
}

function copyExtras(dataDir: string, partial: string): string[] {
  const files: string[] = [];
  for (const name of EXTRA_FILES) {
    const src = join(dataDir, name);
    if (!existsSync(src)) continue;
    cpSync(src, join(partial, name), { recursive: true });
    files.push(name);
  }
  return files;
}

/**
 * Verifies a copy: `PRAGMA integrity_check` says ok and every table holds the rows the source held when it
 * was copied. Also turns the copy into a single self-contained file (rollback journal instead of WAL).
 */
export function verifyCopy(file: string, expected: Record<string, number>): void {
  const copy = openSqlite(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check') as { integrity_check: string }[];
    const problems = check.map((r) => r.integrity_check).filter((m) => m !== 'ok');
    if (problems.length) throw new ChurchError('EXTERNAL', `the snapshot failed its integrity check (${problems.slice(0, 3).join('; ')}); the previous snapshots are untouched`);
    const diff = countDifferences(expected, rowCounts(copy));
    if (diff.length) throw new ChurchError('EXTERNAL', `the snapshot does not hold the rows of the source (${diff.slice(0, 3).join('; ')}); the previous snapshots are untouched`);
  } finally {
    copy.close();
  }
}

function finish(dataDir: string, partial: string, manifest: LocalSnapshot, keep: number): LocalSnapshot {
  chmodSync(join(partial, DB_FILE), 0o600);
  const withSize = { ...manifest, sizeBytes: folderSize(partial) };
  writeFileAtomic(join(partial, MANIFEST), JSON.stringify(withSize, null, 2) + '\n', 0o600);
  renameSync(partial, join(backupsDir(dataDir), manifest.id));
  pruneLocalSnapshots(dataDir, keep);
  return withSize;
}

/**
 * A verified snapshot taken with SQLite's online backup API while the studio keeps working. The copy is read
 * through a separate connection inside one read transaction, so it is one consistent moment (WAL lets the
 * studio keep writing meanwhile) and the row counts it is checked against are of that same moment.
 */
export async function takeSnapshot(dbFile: string, opts: SnapshotOptions): Promise<LocalSnapshot> {
  const now = (opts.now ?? (() => new Date()))();
  const { id, partial } = prepareFolder(opts.dataDir, now);
  try {
    const src = openSqlite(dbFile, { readonly: true, fileMustExist: true });
    let tables: Record<string, number>;
    try {
      src.pragma('busy_timeout = 5000');
      src.exec('BEGIN');
      // Counted table by table with a turn of the event loop between, so the studio's own requests get in.
      tables = {};
      for (const t of userTables(src)) {
        tables[t] = (src.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n;
        await nextTurn();
      }
      const pages = opts.pagesPerStep ?? 64;
      await src.backup(join(partial, DB_FILE), {
        progress: ({ totalPages, remainingPages }) => {
          opts.onProgress?.(totalPages ? (totalPages - remainingPages) / totalPages : 1);
          return pages;
        },
      });
      src.exec('COMMIT');
    } finally {
      src.close();
    }
    await verifyCopyInWorker(join(partial, DB_FILE), tables, opts.compact ?? true);
    const files = copyExtras(opts.dataDir, partial);
    return finish(opts.dataDir, partial, { id, createdAt: now.toISOString(), reason: opts.reason, sizeBytes: 0, tables, verified: true, files }, opts.keep);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}

/**
 * The same, synchronously, on the studio's own connection: for the snapshot taken before a schema migration,
 * which runs while the host is being composed. VACUUM INTO writes a consistent copy in one statement.
 */
export function takeSnapshotSync(db: Db, opts: Omit<SnapshotOptions, 'onProgress' | 'pagesPerStep'>): LocalSnapshot {
  const now = (opts.now ?? (() => new Date()))();
  const { id, partial } = prepareFolder(opts.dataDir, now);
  try {
    const file = join(partial, DB_FILE);
    let tables = rowCounts(db);
    db.prepare('VACUUM INTO ?').run(file);
    // Another process may have written between the count and the copy; count again until they agree.
    for (let attempt = 0; attempt < 3; attempt++) {
      const again = rowCounts(db);
      if (countDifferences(tables, again).length === 0) break;
      rmSync(file, { force: true });
      tables = again;
      db.prepare('VACUUM INTO ?').run(file);
    }
    verifyCopy(file, tables);
    const files = copyExtras(opts.dataDir, partial);
    return finish(opts.dataDir, partial, { id, createdAt: now.toISOString(), reason: opts.reason, sizeBytes: 0, tables, verified: true, files }, opts.keep);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}
