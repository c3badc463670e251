import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Host } from '../../electron/host/createHost';
import { BackupService, tableChecksums, type BackupDeps } from '../../electron/domains/backup';
import { syntheticProbe } from './libraryFiles';

/**
 * A studio with the kinds of work a backup must keep: library rows with curation and tags, a collection,
 * a cue track, preferences, audit entries, and beside the database the kill-switch plan and a user preset.
 */
export function seedStudio(host: Host, items = 30): number[] {
  const ids: number[] = [];
  for (let i = 0; i < items; i++) {
    ids.push(
      host.library.saveProbed(
        { path: join(host.dataDir, 'media', `clip ${i}.mp4`), rootId: null, sizeBytes: 1000 + i, mtimeMs: 1_700_000_000_000 + i, fingerprint: `fp${String(i).padStart(14, '0')}`, probe: syntheticProbe() },
        new Date(1_700_000_000_000 + i * 60_000).toISOString(),
        null,
      ),
    );
  }
  host.library.bulkUpdate({ ids: ids.slice(0, 5), addTags: ['favourites', 'trance'] });
  const c = host.library.createCollection('Evening', 'for the evening');
  host.library.setCollectionItems(c.id, ids.slice(0, 3));
  host.avatar.saveTrack(ids[0]!, [{ id: 'c1', at: 1, expression: 'happy', say: 'hello' }]);
  host.settings.set('demo.note', z.object({ a: z.number() }), { a: 1 });
  writeFileSync(join(host.dataDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [] }));
  mkdirSync(join(host.dataDir, 'presets'), { recursive: true });
  writeFileSync(join(host.dataDir, 'presets', 'mine.json'), JSON.stringify({ name: 'mine' }));
  return ids;
}

/** Row checksums of every table of a database file (opened read-only). */
export function checksumsOf(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return tableChecksums(db);
  } finally {
    db.close();
  }
}

/** A second backup service over a host's database, with its own clock or schedule; alerts and events go nowhere. */
export function makeBackupService(host: Host, overrides: Partial<BackupDeps> = {}): BackupService {
  return new BackupService({
    db: host.db,
    dbFile: join(host.dataDir, 'studio.sqlite'),
    dataDir: host.dataDir,
    settings: host.settings,
    secrets: host.secrets,
    env: host.env,
    emit: () => undefined,
    alert: () => undefined,
    logError: () => undefined,
    ...overrides,
  });
}

/**
 * Overwrites the root page of a table: what a bad sector does. `keepTime` leaves the file's modification time
 * as it was (a bad sector does not touch it), so the start check's "changed while closed" rule cannot see it.
 */
export function damageTablePage(file: string, table = 'videos', opts: { keepTime?: boolean } = {}): void {
  const before = statSync(file);
  const db = new Database(file, { readonly: true });
  const page = (db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').get(table) as { rootpage: number }).rootpage;
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const bytes = readFileSync(file);
  bytes.fill(0xa5, (page - 1) * size, page * size);
  writeFileSync(file, bytes);
  if (opts.keepTime) utimesSync(file, before.atime, before.mtime);
}
