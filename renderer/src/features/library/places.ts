import { create } from 'zustand';
import type { ImportFailure, LibraryCollection } from '../../../../shared/dto/library';
import { call, subscribe } from '../../lib/api';

/**
 * Where in the Library the owner is: every video, one collection (a filtered library view), or the Problems view
 * (files the imports could not use). Each has an address: `#/library`, `#/library/collection/ID`,
 * `#/library/problems`.
 */
export type LibraryPlace = { kind: 'all' } | { kind: 'collection'; id: number } | { kind: 'problems' };

export const ALL_VIDEOS: LibraryPlace = { kind: 'all' };

/** The place an address names; null for an address that is not a place of its own (the video page keeps the last). */
export function placeOfAddress(sub: string): LibraryPlace | null {
  if (sub === '') return ALL_VIDEOS;
  if (sub === 'problems') return { kind: 'problems' };
  const m = /^collection\/(\d+)$/.exec(sub);
  if (m) return { kind: 'collection', id: Number(m[1]) };
  return /^video\/\d+$/.test(sub) ? null : ALL_VIDEOS;
}

export function addressOfPlace(p: LibraryPlace): string {
  return p.kind === 'all' ? 'library' : p.kind === 'problems' ? 'library/problems' : `library/collection/${p.id}`;
}

export const samePlace = (a: LibraryPlace, b: LibraryPlace) => addressOfPlace(a) === addressOfPlace(b);

interface PlacesState {
  place: LibraryPlace;
  collections: LibraryCollection[];
  failures: ImportFailure[];
  setPlace(p: LibraryPlace): void;
  loadCollections(): Promise<void>;
  loadFailures(): Promise<void>;
  /** Loads both lists and follows the library's changes; returns the unsubscribe. */
  follow(): () => void;
}

export const usePlaces = create<PlacesState>((set, get) => ({
  place: ALL_VIDEOS,
  collections: [],
  failures: [],
  setPlace: (place) => set({ place }),
  loadCollections: async () => {
    try {
      set({ collections: await call('library.collections', {}, { quiet: true }) });
    } catch {
      // the list stays as it was; the grid still works
    }
  },
  loadFailures: async () => {
    try {
      set({ failures: await call('library.failures', {}, { quiet: true }) });
    } catch {
      // as above
    }
  },
  follow: () => {
    void get().loadCollections();
    void get().loadFailures();
    const offChanged = subscribe('library.changed', (e) => {
      // Item counts change with curation (added to a collection) and removal too.
      if (e.reason === 'collections' || e.reason === 'curation' || e.reason === 'remove') void get().loadCollections();
      if (e.reason === 'import' || e.reason === 'remove') void get().loadFailures();
    });
    const offProgress = subscribe('library.importProgress', (p) => {
      if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'failed') void get().loadFailures();
    });
    return () => {
      offChanged();
      offProgress();
    };
  },
}));
