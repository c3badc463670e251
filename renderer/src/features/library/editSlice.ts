import { call } from '../../lib/api';
import { useUndo } from '../../lib/stores/undo';
import { fieldsOf, priorCuration, restoreCuration } from './curationUndo';
import type { BulkEdit, EditSlice, LibrarySlice } from './libraryTypes';

/** What a bulk edit did, in the toast's words ("tagged “x”", "rated 4★"). */
function editWords(edit: BulkEdit): string {
  if (edit.addTags) return `tagged “${edit.addTags.join(', ')}”`;
  if (edit.removeTags) return `untagged “${edit.removeTags.join(', ')}”`;
  if (edit.rating !== undefined) return `rated ${edit.rating}★`;
  if (edit.favourite !== undefined) return edit.favourite ? 'marked favourite' : 'no longer favourite';
  return edit.tier ? `set to ${edit.tier}` : 'updated';
}

export const createEditSlice: LibrarySlice<EditSlice> = (set, get) => {
  /** After a change or its undo: the results and the tag counts follow. */
  const changed = (tags: boolean) => {
    get().refresh();
    if (tags) void get().loadTags();
  };
  return {
    tags: [],
    bulk: async (edit) => {
      const ids = [...get().selected];
      if (!ids.length) return;
      try {
        const fields = fieldsOf(edit);
        const prior = await priorCuration(ids, get());
        const { updated } = await call('library.bulkUpdate', { ids, ...edit });
        const tags = fields.includes('tags');
        useUndo.getState().record({
          message: `${updated} ${updated === 1 ? 'video' : 'videos'} ${editWords(edit)}.`,
          undo: async () => {
            await restoreCuration(prior, fields);
            changed(tags);
          },
        });
        changed(tags);
      } catch {
        // call() showed why
      }
    },
    curate: async (id, patch) => {
      try {
        const fields = fieldsOf(patch);
        const prior = await priorCuration([id], get());
        await call('library.update', { id, patch });
        useUndo.getState().record({
          message: patch.rating !== undefined ? (patch.rating ? `Rated ${patch.rating}★.` : 'Rating cleared.') : patch.favourite ? 'Marked favourite.' : 'No longer favourite.',
          undo: async () => {
            await restoreCuration(prior, fields);
            changed(false);
          },
        });
        changed(false);
      } catch {
        // call() showed why
      }
    },
    loadTags: async () => {
      try {
        set({ tags: await call('library.tags', {}, { quiet: true }) });
      } catch {
        // the tag filter stays empty
      }
    },
  };
};
