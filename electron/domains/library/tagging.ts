import { refreshFts } from './fullText';
import type { LibraryDb } from './libraryDb';
import { normaliseTag } from './searchQuery';

/** The id of a tag by name (normalised), created on first use. */
export function tagId(lib: LibraryDb, name: string): number {
  const n = normaliseTag(name);
  lib.stmt('INSERT INTO tags (name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(n);
  return (lib.stmt('SELECT id FROM tags WHERE name = ?').get(n) as { id: number }).id;
}

export function tagItems(lib: LibraryDb, ids: readonly number[], tags: readonly string[]): void {
  const add = lib.stmt('INSERT OR IGNORE INTO video_tags (video_id, tag_id) VALUES (?, ?)');
  for (const t of tags) {
    const tid = tagId(lib, t);
    for (const id of ids) add.run(id, tid);
  }
}

/** Tags no item carries any more are dropped, so the tag list shows only tags in use. */
export function pruneTags(lib: LibraryDb): void {
  lib.stmt('DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM video_tags)').run();
}

/** Rewrites the denormalised tag list of items and their search text. */
export function syncTags(lib: LibraryDb, ids: readonly number[]): void {
  const read = lib.stmt('SELECT t.name FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.video_id = ? ORDER BY t.name');
  const write = lib.stmt('UPDATE videos SET tags_json = ? WHERE id = ?');
  for (const id of ids) write.run(JSON.stringify((read.all(id) as { name: string }[]).map((t) => t.name)), id);
  refreshFts(lib, ids);
}
