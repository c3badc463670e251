import type { LibraryDb } from './libraryDb';

/** Recomputes the full-text row of items (title, file name, tags, collections, notes). */
export function refreshFts(lib: LibraryDb, ids: readonly number[]): void {
  const del = lib.stmt('DELETE FROM videos_fts WHERE rowid = ?');
  const ins = lib.stmt(
    `INSERT INTO videos_fts (rowid, title, file_name, tags, collections, notes)
     SELECT v.id, v.title, v.file_name,
       (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(v.tags_json)),
       (SELECT coalesce(group_concat(c.name, ' '), '') FROM collection_items ci JOIN collections c ON c.id = ci.collection_id WHERE ci.video_id = v.id),
       v.notes
     FROM videos v WHERE v.id = ?`,
  );
  for (const id of ids) {
    del.run(id);
    ins.run(id);
  }
}
