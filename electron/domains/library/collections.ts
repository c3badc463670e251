import type { LibraryCollection, VideoSummary } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';
import { refreshFts } from './fullText';
import type { ItemQueries } from './itemQueries';
import { now, type LibraryDb } from './libraryDb';

/** Named, ordered lists of items. A collection's name is part of its members' search text. */
export class Collections {
  constructor(
    private readonly lib: LibraryDb,
    private readonly items: ItemQueries,
  ) {}

  require(id: number): void {
    if (!this.lib.stmt('SELECT 1 FROM collections WHERE id = ?').get(id)) throw new ChurchError('NOT_FOUND', `no collection with id ${id}`);
  }

  list(): LibraryCollection[] {
    const rows = this.lib.db
      .prepare('SELECT c.id, c.name, c.description, c.position, c.created_at, (SELECT count(*) FROM collection_items ci WHERE ci.collection_id = c.id) AS n FROM collections c ORDER BY c.position, c.id')
      .all() as { id: number; name: string; description: string; position: number; created_at: string; n: number }[];
    return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, position: r.position, itemCount: r.n, createdAt: r.created_at }));
  }

  private get(id: number): LibraryCollection {
    const c = this.list().find((x) => x.id === id);
    if (!c) throw new ChurchError('NOT_FOUND', `no collection with id ${id}`);
    return c;
  }

  create(name: string, description = ''): LibraryCollection {
    const { lib } = this;
    const id = lib.db.transaction(() => {
      const pos = (lib.stmt('SELECT coalesce(max(position), -1) + 1 AS p FROM collections').get() as { p: number }).p;
      return Number(lib.stmt('INSERT INTO collections (name, description, position, created_at) VALUES (?, ?, ?, ?)').run(name.trim(), description, pos, now()).lastInsertRowid);
    })();
    lib.changed(null, 'collections');
    return this.get(id);
  }

  update(id: number, patch: { name?: string; description?: string }): LibraryCollection {
    const { lib } = this;
    lib.db.transaction(() => {
      this.require(id);
      if (patch.name !== undefined) lib.stmt('UPDATE collections SET name = ? WHERE id = ?').run(patch.name.trim(), id);
      if (patch.description !== undefined) lib.stmt('UPDATE collections SET description = ? WHERE id = ?').run(patch.description, id);
      if (patch.name !== undefined) refreshFts(lib, this.videoIds(id));
    })();
    lib.changed(null, 'collections');
    return this.get(id);
  }

  delete(id: number): void {
    const { lib } = this;
    lib.db.transaction(() => {
      this.require(id);
      const members = this.videoIds(id);
      lib.stmt('DELETE FROM collections WHERE id = ?').run(id);
      refreshFts(lib, members);
    })();
    lib.changed(null, 'collections');
  }

  /** Listed collections first in the given order, the rest after them as they were. */
  reorder(ids: readonly number[]): LibraryCollection[] {
    const { lib } = this;
    lib.db.transaction(() => {
      const all = this.list().map((c) => c.id);
      const listed = ids.filter((i) => all.includes(i));
      const order = [...new Set(listed), ...all.filter((i) => !listed.includes(i))];
      const set = lib.stmt('UPDATE collections SET position = ? WHERE id = ?');
      order.forEach((cid, i) => set.run(i, cid));
    })();
    lib.changed(null, 'collections');
    return this.list();
  }

  private videoIds(id: number): number[] {
    return (this.lib.stmt('SELECT video_id FROM collection_items WHERE collection_id = ? ORDER BY position, video_id').all(id) as { video_id: number }[]).map((r) => r.video_id);
  }

  itemsOf(id: number): VideoSummary[] {
    this.require(id);
    return this.items.summaries(this.videoIds(id));
  }

  setItems(id: number, videoIds: readonly number[]): VideoSummary[] {
    const { lib } = this;
    const ordered = [...new Set(videoIds)];
    let touched: number[] = [];
    lib.db.transaction(() => {
      this.require(id);
      if (ordered.length) this.items.assertIds(ordered);
      touched = [...new Set([...this.videoIds(id), ...ordered])];
      lib.stmt('DELETE FROM collection_items WHERE collection_id = ?').run(id);
      const add = lib.stmt('INSERT INTO collection_items (collection_id, video_id, position) VALUES (?, ?, ?)');
      ordered.forEach((vid, i) => add.run(id, vid, i));
      refreshFts(lib, touched);
    })();
    lib.changed(touched, 'collections');
    return this.itemsOf(id);
  }

  /** Appends items to a collection (inside the caller's transaction); ones already in it keep their place. */
  addItems(collectionId: number, ids: readonly number[]): void {
    this.require(collectionId);
    const next = this.lib.stmt('SELECT coalesce(max(position), -1) + 1 AS p FROM collection_items WHERE collection_id = ?');
    const add = this.lib.stmt('INSERT OR IGNORE INTO collection_items (collection_id, video_id, position) VALUES (?, ?, ?)');
    for (const id of ids) add.run(collectionId, id, (next.get(collectionId) as { p: number }).p);
  }

  removeItems(collectionId: number, ids: readonly number[]): void {
    this.require(collectionId);
    const del = this.lib.stmt('DELETE FROM collection_items WHERE collection_id = ? AND video_id = ?');
    for (const id of ids) del.run(collectionId, id);
  }
}
