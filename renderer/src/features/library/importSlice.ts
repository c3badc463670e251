import type { ImportSummary } from '../../../../shared/dto/library';
import { call } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';
import type { ImportSlice, LibrarySlice } from './libraryTypes';

/** "Import finished: 3 imported, 1 already there." and its level. */
function importToast(summary: ImportSummary) {
  const failed = summary.failed.length;
  const parts = [`${summary.imported} imported`, summary.updated ? `${summary.updated} updated` : '', summary.moved ? `${summary.moved} moved` : '', summary.skipped ? `${summary.skipped} already there` : '', failed ? `${failed} could not be used` : ''].filter(Boolean);
  return {
    level: summary.cancelled ? ('warning' as const) : failed ? ('warning' as const) : ('success' as const),
    message: `${summary.cancelled ? 'Import cancelled' : 'Import finished'}: ${parts.join(', ')}.`,
    hint: failed ? `First problem: ${summary.failed[0]!.reason}` : undefined,
  };
}

export const createImportSlice: LibrarySlice<ImportSlice> = (set, get) => ({
  importProgress: null,
  lastImport: null,
  importPaths: async (paths) => {
    try {
      const summary = await call('library.import', { paths });
      set({ lastImport: summary });
      useToasts.getState().push(importToast(summary));
      get().refresh();
      void get().loadTags();
      return summary;
    } catch {
      return null;
    }
  },
  cancelImport: async () => {
    try {
      await call('library.cancelImport', { importId: get().importProgress?.importId });
    } catch {
      // call() showed why
    }
  },
});
