import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSnapshot } from '../../../shared/dto/backup';
import { SNAPSHOT_ID } from '../../../shared/contract/backup';

export const DB_FILE = 'studio.sqlite';
export const MANIFEST = 'manifest.json';

export function backupsDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** `20261128-192501-123`: sorts by time, readable, safe in every file system. */
export function snapshotId(at: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}-${p(at.getUTCMilliseconds(), 3)}`;
}

export function readManifest(dir: string): LocalSnapshot | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as LocalSnapshot;
    return typeof m.id === 'string' && SNAPSHOT_ID.test(m.id) ? m : null;
  } catch {
    return null;
  }
}

/** Every complete local snapshot, newest first. A folder without a readable manifest is not a snapshot. */
export function listLocalSnapshots(dataDir: string): LocalSnapshot[] {
  const root = backupsDir(dataDir);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => SNAPSHOT_ID.test(n))
    .map((n) => readManifest(join(root, n)))
    .filter((m): m is LocalSnapshot => m !== null && existsSync(join(root, m.id, DB_FILE)))
    .sort((a, b) => (a.id < b.id ? 1 : -1));
}

export function snapshotPath(dataDir: string, id: string): string {
  return join(backupsDir(dataDir), id);
}

/** Deletes the oldest snapshots beyond `keep`, and folders a crashed snapshot left half-written. */
export function pruneLocalSnapshots(dataDir: string, keep: number): string[] {
  const root = backupsDir(dataDir);
  const removed: string[] = [];
  if (!existsSync(root)) return removed;
  for (const n of readdirSync(root)) {
    if (n.startsWith('.partial-')) {
      rmSync(join(root, n), { recursive: true, force: true });
    }
  }
  for (const s of listLocalSnapshots(dataDir).slice(keep)) {
    rmSync(join(root, s.id), { recursive: true, force: true });
    removed.push(s.id);
  }
  return removed;
}

export function folderSize(dir: string): number {
  let total = 0;
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const st = statSync(p);
    total += st.isDirectory() ? folderSize(p) : st.size;
  }
  return total;
}
