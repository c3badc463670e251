import type { LibraryRoot } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';
import type { LibraryDb } from './libraryDb';

/** The folders imported, with how many items each holds and how many of those are missing. */
export function listRoots(lib: LibraryDb): LibraryRoot[] {
  const rows = lib.db
    .prepare(
      `SELECT r.id, r.path, r.added_at, r.last_scan_at, count(v.id) AS videos, coalesce(sum(v.missing), 0) AS missing
       FROM library_roots r LEFT JOIN videos v ON v.root_id = r.id GROUP BY r.id ORDER BY r.path`,
    )
    .all() as { id: number; path: string; added_at: string; last_scan_at: string | null; videos: number; missing: number }[];
  return rows.map((r) => ({ id: r.id, path: r.path, addedAt: r.added_at, lastScanAt: r.last_scan_at, videoCount: r.videos, missingCount: r.missing }));
}

/** Stops rescanning a folder; its items stay in the library, belonging to no folder. */
export function removeRoot(lib: LibraryDb, id: number): void {
  lib.db.transaction(() => {
    const r = lib.stmt('DELETE FROM library_roots WHERE id = ?').run(id);
    if (r.changes === 0) throw new ChurchError('NOT_FOUND', `no library root with id ${id}`);
    lib.stmt('UPDATE videos SET root_id = NULL WHERE root_id = ?').run(id);
    lib.stmt('UPDATE import_failures SET root_id = NULL WHERE root_id = ?').run(id);
  })();
}
