import type { BulkEdit, CurationPatch, VideoDetail } from '../../../shared/dto/library';
import type { Collections } from './collections';
import { refreshFts } from './fullText';
import type { ImportWrites } from './importWrites';
import type { ItemQueries } from './itemQueries';
import type { LibraryDb } from './libraryDb';
import { normaliseTag } from './searchQuery';
import { pruneTags, syncTags, tagItems } from './tagging';

/** `column = ?` assignments and their values, for the fields a patch sets. */
class Assignments {
  readonly sets: string[] = [];
  readonly vals: (string | number)[] = [];

  add(column: string, value: string | number | undefined): this {
    if (value !== undefined) {
      this.sets.push(`${column} = ?`);
      this.vals.push(value);
    }
    return this;
  }

  /** Rating, favourite and tier: the fields a single edit and a bulk edit share. */
  rated(patch: Pick<CurationPatch, 'rating' | 'favourite' | 'tier'>): this {
    return this.add('rating', patch.rating)
      .add('favourite', patch.favourite === undefined ? undefined : patch.favourite ? 1 : 0)
      .add('tier', patch.tier);
  }
}

/** What a person changes on items: title, notes, rating, favourite, tier, tags, collections; and forgetting them. */
export class Curation {
  constructor(
    private readonly lib: LibraryDb,
    private readonly items: ItemQueries,
    private readonly collections: Collections,
    private readonly writes: ImportWrites,
  ) {}

  update(id: number, patch: CurationPatch): VideoDetail {
    const { lib } = this;
    lib.db.transaction(() => {
      this.items.assertIds([id]);
      const { sets, vals } = new Assignments().add('title', patch.title?.trim()).add('notes', patch.notes).rated(patch);
      if (sets.length) lib.stmt(`UPDATE videos SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
      if (patch.tags !== undefined) {
        lib.stmt('DELETE FROM video_tags WHERE video_id = ?').run(id);
        tagItems(lib, [id], patch.tags);
        pruneTags(lib);
        syncTags(lib, [id]);
      } else {
        refreshFts(lib, [id]);
      }
    })();
    lib.changed([id], 'curation');
    return this.items.requireVideo(id);
  }

  /** Tag/untag/rate/tier/favourite/collect many items in one transaction: all or nothing. */
  bulkUpdate(edit: BulkEdit): { updated: number } {
    const { lib } = this;
    const ids = [...new Set(edit.ids)];
    lib.db.transaction(() => {
      this.items.assertIds(ids);
      const { sets, vals } = new Assignments().rated(edit);
      if (sets.length) {
        const update = lib.stmt(`UPDATE videos SET ${sets.join(', ')} WHERE id = ?`);
        for (const id of ids) update.run(...vals, id);
      }
      let tagsChanged = false;
      if (edit.addTags?.length) {
        tagItems(lib, ids, edit.addTags);
        tagsChanged = true;
      }
      if (edit.removeTags?.length) {
        const del = lib.stmt('DELETE FROM video_tags WHERE video_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)');
        for (const t of edit.removeTags) for (const id of ids) del.run(id, normaliseTag(t));
        pruneTags(lib);
        tagsChanged = true;
      }
      let collectionsChanged = false;
      if (edit.addToCollectionId !== undefined) {
        this.collections.addItems(edit.addToCollectionId, ids);
        collectionsChanged = true;
      }
      if (edit.removeFromCollectionId !== undefined) {
        this.collections.removeItems(edit.removeFromCollectionId, ids);
        collectionsChanged = true;
      }
      if (tagsChanged) syncTags(lib, ids);
      else if (collectionsChanged) refreshFts(lib, ids);
    })();
    lib.changed(ids, 'curation');
    return { updated: ids.length };
  }

  /** Forgets items (not their files). Generated assets stay: they are keyed by content and reused on re-import. */
  remove(ids: readonly number[]): { removed: number } {
    const { lib } = this;
    const unique = [...new Set(ids)];
    const fps = new Set<string>();
    lib.db.transaction(() => {
      this.items.assertIds(unique);
      const fp = lib.stmt('SELECT fingerprint FROM videos WHERE id = ?');
      const del = lib.stmt('DELETE FROM videos WHERE id = ?');
      const delFts = lib.stmt('DELETE FROM videos_fts WHERE rowid = ?');
      for (const id of unique) {
        fps.add((fp.get(id) as { fingerprint: string }).fingerprint);
        del.run(id);
        delFts.run(id);
      }
      pruneTags(lib);
      this.writes.recomputeDuplicates([...fps]);
    })();
    lib.changed(unique, 'remove');
    return { removed: unique.length };
  }
}
