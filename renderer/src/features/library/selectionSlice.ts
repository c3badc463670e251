import type { LibrarySlice, SelectionSlice } from './libraryTypes';

export const createSelectionSlice: LibrarySlice<SelectionSlice> = (set) => ({
  selected: new Set(),
  anchor: null,
  cursor: null,
  setSelection: (selected, anchor) => set({ selected, anchor }),
  setCursor: (cursor) => set({ cursor }),
});
