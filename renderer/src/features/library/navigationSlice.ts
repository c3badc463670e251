import type { LibrarySlice, NavigationSlice, ViewMode } from './libraryTypes';

const VIEW_KEY = 'church.library.view';
const savedView = (): ViewMode => (localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'grid');

export const createNavigationSlice: LibrarySlice<NavigationSlice> = (set, get) => ({
  view: savedView(),
  openId: null,
  pageId: null,
  paneBeforePage: null,
  setView: (view) => {
    localStorage.setItem(VIEW_KEY, view);
    set({ view });
  },
  open: (openId) => set({ openId }),
  // One preview at a time (the preview store holds one video): the pane closes while the page is open.
  openPage: (pageId) => set({ pageId, paneBeforePage: get().pageId === null ? get().openId : get().paneBeforePage, openId: null }),
  closePage: () => set({ pageId: null, openId: get().paneBeforePage, paneBeforePage: null }),
});
