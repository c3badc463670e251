import type Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../platform/fs';
import { openSqlite } from './sqlite';
import { asDatabaseProblem, checkDatabaseFile, type DatabaseProblem } from './startFailure';

/**
 * The start check's record (`<dataDir>/run-state.json`): whether the last process that checked the database
 * closed it cleanly, when the full check last ran, and the file as it was left. A clean, unchanged, recently
 * checked file needs no full `PRAGMA quick_check` (seconds at 100,000 items) on the next start.
 */
interface RunState {
  cleanlyClosed: boolean;
  lastFullCheckAt: string | null;
  /** studio.sqlite as a clean close left it; anything else writing it since (a restore, a copy, a bad disk tool) shows here. */
  file: { size: number; mtimeMs: number } | null;
}

/** What the start check did; the app's status and `church serve --json` report it. */
export interface StartCheckReport {
  /** 'full' = PRAGMA quick_check over every page; 'roots' = the first page of every table; 'none' = no database yet. */
  kind: 'full' | 'roots' | 'none';
  /** Why this kind, in a person's words. */
  reason: string;
  ms: number;
}

const RUN_STATE = 'run-state.json';
const FULL_CHECK_EVERY_MS = 24 * 3600_000;

function readRunState(dataDir: string): RunState | null {
  try {
    const s = JSON.parse(readFileSync(join(dataDir, RUN_STATE), 'utf8')) as Partial<RunState>;
    return typeof s.cleanlyClosed === 'boolean' ? { cleanlyClosed: s.cleanlyClosed, lastFullCheckAt: s.lastFullCheckAt ?? null, file: s.file ?? null } : null;
  } catch {
    return null;
  }
}

function writeRunState(dataDir: string, s: RunState): void {
  writeFileAtomic(join(dataDir, RUN_STATE), JSON.stringify(s) + '\n', 0o600);
}

function fileStat(file: string): RunState['file'] {
  try {
    const st = statSync(file);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}

/** Which check this start needs and why; pure apart from reading the record and the file's size and time. */
export function planStartCheck(dataDir: string, now = new Date()): { kind: StartCheckReport['kind']; reason: string } {
  const file = join(dataDir, 'studio.sqlite');
  if (!existsSync(file)) return { kind: 'none', reason: 'there is no database yet' };
  const state = readRunState(dataDir);
  if (!state) return { kind: 'full', reason: 'no record of a clean shutdown' };
  if (!state.cleanlyClosed) return { kind: 'full', reason: 'the previous run did not close cleanly' };
  const last = state.lastFullCheckAt ? Date.parse(state.lastFullCheckAt) : NaN;
  if (!(now.getTime() - last < FULL_CHECK_EVERY_MS)) return { kind: 'full', reason: 'the daily full check is due' };
  const st = fileStat(file);
  if (!st || !state.file || st.size !== state.file.size || st.mtimeMs !== state.file.mtimeMs) {
    return { kind: 'full', reason: 'the file changed while the studio was closed' };
  }
  return { kind: 'roots', reason: 'the previous run closed cleanly and the file is unchanged since' };
}

/**
 * Reads the first row of every table (its root page and the leftmost leaf): cheap whatever the library's size,
 * and it finds a file that is not a database, a damaged schema or a damaged root. Damage deeper in a table
 * is met by the query that reads it, which names it the same way (see createHost's dispatcher).
 */
function checkRoots(file: string): DatabaseProblem | null {
  let db: Database.Database | null = null;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'").pluck().all() as string[];
    for (const t of tables) db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}" LIMIT 1`).get();
    return null;
  } catch (e) {
    return asDatabaseProblem(e, file);
  } finally {
    db?.close();
  }
}

/**
 * The primary process's start check: the full one after a crash, once a day, or when the file changed while
 * the studio was closed; otherwise the roots only. Throws the DatabaseProblem it finds (the recovery screen's
 * cause). Records that the database is now open, so a crash before `recordCleanClose` means a full check next time.
 */
export function runStartCheck(dataDir: string, opts: { forceFull?: boolean; now?: Date } = {}): StartCheckReport {
  const now = opts.now ?? new Date();
  const file = join(dataDir, 'studio.sqlite');
  const plan = opts.forceFull && existsSync(file) ? { kind: 'full' as const, reason: 'a full check was asked for' } : planStartCheck(dataDir, now);
  const t0 = performance.now();
  const problem = plan.kind === 'full' ? checkDatabaseFile(file) : plan.kind === 'roots' ? checkRoots(file) : null;
  if (problem) throw problem;
  const previous = readRunState(dataDir);
  try {
    writeRunState(dataDir, { cleanlyClosed: false, lastFullCheckAt: plan.kind === 'roots' ? (previous?.lastFullCheckAt ?? null) : now.toISOString(), file: null });
  } catch {
    // Without the record the next start runs the full check: slower, never less safe.
  }
  return { ...plan, ms: Math.round(performance.now() - t0) };
}

/**
 * After the database is closed: records a clean shutdown and the file as it was left. A process that did not
 * run the start check records one only over an earlier clean one, so it never hides an earlier crash.
 */
export function recordCleanClose(dataDir: string, ranStartCheck: boolean): void {
  const previous = readRunState(dataDir);
  if (!ranStartCheck && !previous?.cleanlyClosed) return;
  try {
    writeRunState(dataDir, { cleanlyClosed: true, lastFullCheckAt: previous?.lastFullCheckAt ?? null, file: fileStat(join(dataDir, 'studio.sqlite')) });
  } catch {
    // A full disk at shutdown only costs a full check on the next start.
  }
}
