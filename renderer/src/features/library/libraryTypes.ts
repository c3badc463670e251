import type { StateCreator } from 'zustand';
import type { ImportProgress, ImportSummary, LibraryFilters, LibrarySort, LibraryTag, VideoSummary } from '../../../../shared/dto/library';

// The Library store's shape, one interface per slice. Kept apart from the slices so that they, and the store that
// joins them, import these types without importing each other.

export interface LibraryQuery {
  filters: LibraryFilters;
  sort: LibrarySort;
  order: 'asc' | 'desc';
}

export interface Page {
  /** The generation it was fetched for; older ones are shown until their refresh arrives (no flicker). */
  gen: number;
  items: VideoSummary[];
}

/** The search and its result set, fetched a page at a time as the grid scrolls. */
export interface ResultsSlice {
  query: LibraryQuery;
  /** Rows matching the query; null before the first answer. */
  total: number | null;
  /** False while the count of a new result set is still coming (total is then what is known so far). */
  totalExact: boolean;
  /** The search text the shown results answer (the field may be ahead of it while a query runs). */
  resultsQuery: string;
  pages: Map<number, Page>;
  /** Bumped by every new query or refresh; answers for an older one are dropped or marked stale. */
  gen: number;
  loading: boolean;
  error: string | null;
  setQuery(patch: Partial<LibraryQuery>): void;
  setFilters(patch: Partial<LibraryFilters>): void;
  clearFilters(): void;
  ensureRange(first: number, last: number): void;
  refresh(): void;
  /** The first result set, or a refresh of the one kept from the last visit. */
  loadFirst(): void;
  itemAt(index: number): VideoSummary | undefined;
}

/** Which videos are selected (the selection bar acts on them) and where the keyboard cursor is. */
export interface SelectionSlice {
  selected: ReadonlySet<number>;
  /** Index the next Shift-click range starts from. */
  anchor: number | null;
  /** Keyboard cursor (J/K, arrows), an index into the results. */
  cursor: number | null;
  setSelection(selected: ReadonlySet<number>, anchor: number | null): void;
  setCursor(i: number | null): void;
}

export type ViewMode = 'grid' | 'list';

/** How the results are shown (grid or list) and which video is open, in the quick pane or on its own page. */
export interface NavigationSlice {
  view: ViewMode;
  openId: number | null;
  /** The video shown on its own page (over the grid, which stays mounted: Back finds its scroll and selection). */
  pageId: number | null;
  /** The quick pane that was open when the page opened; Back reopens it. */
  paneBeforePage: number | null;
  setView(v: ViewMode): void;
  open(id: number | null): void;
  openPage(id: number): void;
  closePage(): void;
}

/** Importing files and folders: the running import's progress and the last one's summary. */
export interface ImportSlice {
  importProgress: ImportProgress | null;
  lastImport: ImportSummary | null;
  importPaths(paths: string[]): Promise<ImportSummary | null>;
  cancelImport(): Promise<void>;
}

export interface BulkEdit {
  addTags?: string[];
  removeTags?: string[];
  rating?: number;
  tier?: VideoSummary['tier'];
  favourite?: boolean;
}

/** Changing videos: bulk edits of the selection, rating or favourite of one, and the tag names they use. */
export interface EditSlice {
  tags: LibraryTag[];
  bulk(edit: BulkEdit): Promise<void>;
  /** Rating or favourite of one video (card, list row, video page). */
  curate(id: number, patch: { rating?: number; favourite?: boolean }): Promise<void>;
  loadTags(): Promise<void>;
}

/** The Library screen's state: one store made of slices, each with one job. */
export interface LibraryState extends ResultsSlice, SelectionSlice, NavigationSlice, ImportSlice, EditSlice {
  /** Loads what the screen shows and follows the library's events; returns the unsubscribe. */
  init(): () => void;
}

/** A slice of the Library store: it sees the whole state (other slices' actions included) and adds its part. */
export type LibrarySlice<T> = StateCreator<LibraryState, [], [], T>;
