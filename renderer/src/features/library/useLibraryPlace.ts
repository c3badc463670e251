import { useEffect } from 'react';
import { useNav } from '../../lib/stores/nav';
import { listenForUndoKey } from '../../lib/stores/undo';
import { ALL_VIDEOS, placeOfAddress, samePlace, usePlaces } from './places';
import { useLibrary } from './store';
import { useVideoPageAddress } from './useVideoPageAddress';

/**
 * The address leads the Library's place: `#/library/collection/ID` shows that collection's videos (the library's
 * search with its collection filter), `#/library/problems` the Problems view, `#/library` every video. The video
 * page (`#/library/video/ID`) keeps the place it was opened from, so Back returns to the same view. The collection
 * filter cleared by other means (Clear filters) takes the address back to `#/library`.
 */
export function useLibraryPlace(): void {
  const route = useNav((s) => s.route);
  const sub = useNav((s) => s.sub);
  const collectionId = useLibrary((s) => s.query.filters.collectionId);

  useEffect(() => usePlaces.getState().follow(), []);

  useEffect(() => {
    if (route !== 'library') return;
    const wanted = placeOfAddress(sub);
    if (!wanted) return;
    const places = usePlaces.getState();
    if (!samePlace(wanted, places.place)) places.setPlace(wanted);
    const wantedCollection = wanted.kind === 'collection' ? wanted.id : undefined;
    const lib = useLibrary.getState();
    if (lib.query.filters.collectionId !== wantedCollection) lib.setFilters({ collectionId: wantedCollection });
  }, [route, sub]);

  useEffect(() => {
    const { place, setPlace } = usePlaces.getState();
    // The store's value now, not this render's: on the first render the effect above has just set the filter.
    if (place.kind !== 'collection' || useLibrary.getState().query.filters.collectionId === place.id) return;
    setPlace(ALL_VIDEOS);
    const nav = useNav.getState();
    if (nav.route === 'library' && nav.sub.startsWith('collection/')) nav.replace('library');
  }, [collectionId]);
}

/**
 * What the Library screen follows besides its results: the addresses (the video page's and the view's) and Ctrl+Z.
 * Returns true while the Problems view is shown.
 */
export function useLibraryViews(): boolean {
  useVideoPageAddress();
  useLibraryPlace();
  useEffect(listenForUndoKey, []);
  return usePlaces((s) => s.place.kind === 'problems');
}
