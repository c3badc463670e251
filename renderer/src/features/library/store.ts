import { create } from 'zustand';
import { call, subscribe } from '../../lib/api';
import { createEditSlice } from './editSlice';
import { createImportSlice } from './importSlice';
import type { LibraryState } from './libraryTypes';
import { createNavigationSlice } from './navigationSlice';
import { createResultsSlice } from './resultsSlice';
import { createSelectionSlice } from './selectionSlice';

export { cleanFilters, hasFilters, PAGE_SIZE } from './resultsSlice';
export type { LibraryQuery, LibraryState, ViewMode } from './libraryTypes';

const FINISHED_IMPORT = ['done', 'cancelled', 'failed'];

/** The Library screen's store: the slices (results, selection, navigation, import, edits) joined. */
export const useLibrary = create<LibraryState>()((set, get, store) => ({
  ...createResultsSlice(set, get, store),
  ...createSelectionSlice(set, get, store),
  ...createNavigationSlice(set, get, store),
  ...createImportSlice(set, get, store),
  ...createEditSlice(set, get, store),

  init: () => {
    get().loadFirst();
    void get().loadTags();
    void call('library.importStatus', {}, { quiet: true })
      .then((p) => set({ importProgress: p && !FINISHED_IMPORT.includes(p.phase) ? p : null }))
      .catch(() => undefined);
    let lastGrowth = 0;
    const offProgress = subscribe('library.importProgress', (p) => {
      set({ importProgress: FINISHED_IMPORT.includes(p.phase) ? null : p });
      // The library announces its changes at the end of an import; meanwhile the grid grows every ~2 s.
      if ((p.phase === 'probing' || p.phase === 'assets') && performance.now() - lastGrowth > 2000) {
        lastGrowth = performance.now();
        get().refresh();
      }
    });
    const offChanged = subscribe('library.changed', () => get().refresh());
    return () => {
      offProgress();
      offChanged();
    };
  },
}));
