import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import type { ResticRepository } from './ResticRepository';
import { backupsDir, DB_FILE, readManifest, snapshotPath } from './snapshotFolder';

/**
 * Brings a restic snapshot back as a local snapshot folder (restic restores into a temp folder beside the
 * others, then it is renamed into place), so every restore goes through the same local path. Returns its local id.
 */
export async function fetchResticSnapshot(dataDir: string, repo: ResticRepository, resticId: string): Promise<string> {
  const known = (await repo.snapshots()).find((s) => s.id === resticId || s.shortId === resticId || s.id.startsWith(resticId));
  if (!known) throw new ChurchError('NOT_FOUND', `the restic repository has no snapshot ${resticId}; "church backups" lists them`);
  if (known.localId && readManifest(snapshotPath(dataDir, known.localId))) return known.localId;
  const root = backupsDir(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const tmp = join(root, `.partial-restic-${known.shortId}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    await repo.restore(known.id, tmp);
    const manifest = readManifest(tmp);
    if (!manifest || !existsSync(join(tmp, DB_FILE))) {
      throw new ChurchError('EXTERNAL', `restic snapshot ${known.shortId} is not a studio snapshot (no manifest or database in it)`);
    }
    const dest = snapshotPath(dataDir, manifest.id);
    if (!existsSync(dest)) renameSync(tmp, dest);
    return manifest.id;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
