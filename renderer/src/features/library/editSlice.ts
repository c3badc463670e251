import { call } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';
import type { BulkEdit, EditSlice, LibrarySlice } from './libraryTypes';

/** What a bulk edit did, in the toast's words ("tagged “x”", "rated 4★"). */
function editWords(edit: BulkEdit): string {
  if (edit.addTags) return `tagged “${edit.addTags.join(', ')}”`;
  if (edit.removeTags) return `untagged “${edit.removeTags.join(', ')}”`;
  if (edit.rating !== undefined) return `rated ${edit.rating}★`;
  return edit.tier ? `set to ${edit.tier}` : 'updated';
}

export const createEditSlice: LibrarySlice<EditSlice> = (set, get) => ({
  tags: [],
  bulk: async (edit) => {
    const ids = [...get().selected];
    if (!ids.length) return;
    try {
      const { updated } = await call('library.bulkUpdate', { ids, ...edit });
      useToasts.getState().push({ level: 'success', message: `${updated} ${updated === 1 ? 'video' : 'videos'} ${editWords(edit)}.` });
      get().refresh();
      if (edit.addTags || edit.removeTags) void get().loadTags();
    } catch {
      // call() showed why
    }
  },
  curate: async (id, patch) => {
    try {
      await call('library.update', { id, patch });
      get().refresh();
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
});
