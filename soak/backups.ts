import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowCounts, tableChecksums } from '../electron/domains/backup';
import type { LocalSnapshot } from '../shared/dto/backup';
import type { Cluster } from './cluster';
import type { InvariantResult, Ledger } from './ledger';
import type { Workload } from './workload';

/** Tables that change by themselves while the studio runs (its audit log, monitor samples): not part of "the library". */
const LIVE_TABLES = /audit|monitor|sample|metric/i;

function openReadonly<T>(file: string, f: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return f(db);
  } finally {
    db.close();
  }
}

/** A snapshot verifies by the harness's own reading: SQLite's integrity check, and the rows its manifest promises. */
function verifySnapshot(dataDir: string, id: string): string | null {
  const dir = join(dataDir, 'backups', id);
  if (!existsSync(join(dir, 'manifest.json'))) return `snapshot ${id}: no manifest (pruned or never written)`;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as LocalSnapshot;
  if (!manifest.verified) return `snapshot ${id}: its manifest says it did not verify`;
  return openReadonly(join(dir, 'studio.sqlite'), (db) => {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return `snapshot ${id}: integrity_check says ${String(check)}`;
    const counts = rowCounts(db);
    const off = Object.keys(manifest.tables).filter((t) => counts[t] !== manifest.tables[t]);
    return off.length ? `snapshot ${id}: row counts differ from its manifest in ${off.join(', ')}` : null;
  });
}

const libraryPart = (sums: Record<string, string>) => Object.fromEntries(Object.entries(sums).filter(([t]) => !LIVE_TABLES.test(t)));

/**
 * Every backup taken verifies; then a last one, taken with the studio quiet, is restored through the contract and
 * the restored database must hold the same rows as the snapshot (and the library read through the contract must
 * not change).
 */
export async function checkBackups(cluster: Cluster, ledger: Ledger, workload: Workload): Promise<InvariantResult> {
  const breaks: string[] = [...ledger.backupFailures.map((f) => `a backup failed: ${f}`)];
  for (const id of ledger.backups) {
    const bad = verifySnapshot(cluster.studioDir, id);
    if (bad) breaks.push(bad);
  }
  const last = await cluster.client.call('backup.run', { restic: false });
  if (!last.ok || !last.snapshot) {
    breaks.push(`the last backup failed: ${last.error ?? 'no snapshot'}`);
    return { name: 'every backup verifies; the last restores to an identical library', held: false, checked: `${ledger.backups.length} backups`, breaks };
  }
  const bad = verifySnapshot(cluster.studioDir, last.snapshot.id);
  if (bad) breaks.push(bad);
  const libraryBefore = JSON.stringify((await cluster.client.call('library.search', { limit: 500 })).items);
  const snapshotSums = libraryPart(openReadonly(join(cluster.studioDir, 'backups', last.snapshot.id, 'studio.sqlite'), tableChecksums));
  const restored = await cluster.client.call('backup.restore', { id: last.snapshot.id });
  if (restored.pending) {
    // The running studio could not swap its database: the restore lands at the next start.
    await cluster.killStudio();
    await cluster.startStudio();
  }
  const liveSums = libraryPart(openReadonly(join(cluster.studioDir, 'studio.sqlite'), tableChecksums));
  const differ = Object.keys({ ...snapshotSums, ...liveSums }).filter((t) => snapshotSums[t] !== liveSums[t]);
  if (differ.length) breaks.push(`after restoring ${last.snapshot.id}, these tables differ from the snapshot: ${differ.join(', ')}`);
  const libraryAfter = JSON.stringify((await cluster.client.call('library.search', { limit: 500 })).items);
  if (libraryAfter !== libraryBefore) breaks.push('the library read through the contract changed across the restore');
  await workload.refreshIds();
  const checked = `${ledger.backups.length} backups during the run + 1 at the end; restored ${last.snapshot.id} (${Object.keys(snapshotSums).length} tables compared${restored.pending ? ', applied at a restart' : ''})`;
  return { name: 'every backup verifies; the last restores to an identical library', held: breaks.length === 0, checked, breaks };
}
