import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ChurchError } from '../../../shared/errors';
import { sqliteBinding } from './sqlite';
import { countDifferences } from './tableDigest';

/**
 * The verification of a copy (integrity_check over every page, then row counts) reads the whole file; on the
 * studio's thread that would stall every search for seconds. It runs in a worker thread with its own
 * connection. Plain JS source (no bundler or TS loader involved), given the resolved better-sqlite3 path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
let db;
try {
  db = new Database(workerData.file, workerData.nativeBinding ? { fileMustExist: true, nativeBinding: workerData.nativeBinding } : { fileMustExist: true });
  db.pragma('journal_mode = DELETE');
  const problems = db.pragma('integrity_check').map((r) => r.integrity_check).filter((m) => m !== 'ok');
  const rows = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  const virtual = rows.filter((r) => /CREATE\\s+VIRTUAL\\s+TABLE/i.test(r.sql || '')).map((r) => r.name);
  const tables = rows.map((r) => r.name).filter((n) => !virtual.some((v) => n.startsWith(v + '_')));
  const counts = {};
  for (const t of tables) counts[t] = db.prepare('SELECT count(*) AS n FROM "' + t.replace(/"/g, '""') + '"').get().n;
  // Each table and index laid out in one run: the live file interleaves the pages of every b-tree, so a day's
  // edits touch pages all over it and restic's ~1 MB chunks would nearly all change.
  if (problems.length === 0 && workerData.compact) db.exec('VACUUM');
  parentPort.postMessage({ problems, counts });
} catch (e) {
  parentPort.postMessage({ error: String(e && e.message || e) });
} finally {
  if (db) db.close();
}
`;

export function verifyCopyInWorker(file: string, expected: Record<string, number>, compact = true): Promise<void> {
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlitePath, compact, nativeBinding: sqliteBinding() } });
    let settled = false;
    const done = (e?: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (e) reject(e);
      else resolve();
    };
    worker.once('message', (m: { problems?: string[]; counts?: Record<string, number>; error?: string }) => {
      if (m.error) return done(new ChurchError('EXTERNAL', `the snapshot could not be verified (${m.error}); the previous snapshots are untouched`));
      const problems = m.problems ?? [];
      if (problems.length) return done(new ChurchError('EXTERNAL', `the snapshot failed its integrity check (${problems.slice(0, 3).join('; ')}); the previous snapshots are untouched`));
      const diff = countDifferences(expected, m.counts ?? {});
      if (diff.length) return done(new ChurchError('EXTERNAL', `the snapshot does not hold the rows of the source (${diff.slice(0, 3).join('; ')}); the previous snapshots are untouched`));
      done();
    });
    worker.once('error', (e) => done(new ChurchError('EXTERNAL', `the snapshot could not be verified (${e.message}); the previous snapshots are untouched`)));
    worker.once('exit', (code) => done(new ChurchError('EXTERNAL', `the snapshot verifier stopped (exit ${code}) before it answered; the previous snapshots are untouched`)));
  });
}
