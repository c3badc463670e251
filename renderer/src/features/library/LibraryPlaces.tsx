import { useNav } from '../../lib/stores/nav';
import './places.css';
import { formatCount } from '../../lib/format';
import { ItemMenu } from './ItemMenu';
import { addressOfPlace, ALL_VIDEOS, samePlace, usePlaces, type LibraryPlace } from './places';

function PlaceLink({ place, label, count, testId, tone }: { place: LibraryPlace; label: string; count?: number; testId: string; tone?: 'warning' }) {
  const current = usePlaces((s) => s.place);
  const here = samePlace(place, current);
  const address = addressOfPlace(place);
  return (
    <a
      href={`#/${address}`}
      className={`lib-place${here ? ' on' : ''}${tone ? ` lib-place-${tone}` : ''}`}
      aria-current={here ? 'page' : undefined}
      data-testid={testId}
      onClick={(e) => {
        // A step the owner takes (Back returns), made through the app's navigation rather than the bare link.
        e.preventDefault();
        useNav.getState().go(address);
      }}
    >
      <span className="lib-place-name">{label}</span>
      {count !== undefined && <span className="lib-place-count">{formatCount(count)}</span>}
    </a>
  );
}

/**
 * The Library's views, each with its own address: every video, each collection (opened as a filtered library),
 * and Problems, the files the imports could not use (shown only while there are some).
 */
export function LibraryPlaces() {
  const collections = usePlaces((s) => s.collections);
  const failures = usePlaces((s) => s.failures.length);
  const place = usePlaces((s) => s.place);
  if (!collections.length && !failures && place.kind === 'all') return null;
  return (
    <nav className="lib-places" aria-label="Library views" data-testid="lib-places">
      <PlaceLink place={ALL_VIDEOS} label="All videos" testId="place-all" />
      {collections.length > 0 && (
        <span className="lib-places-group" role="group" aria-label="Collections">
          <span className="lib-places-heading muted small" aria-hidden>
            Collections
          </span>
          {collections.map((c) => (
            <PlaceLink key={c.id} place={{ kind: 'collection', id: c.id }} label={c.name} count={c.itemCount} testId={`place-collection-${c.id}`} />
          ))}
        </span>
      )}
      {(failures > 0 || place.kind === 'problems') && <PlaceLink place={{ kind: 'problems' }} label="Problems" count={failures} testId="place-problems" tone="warning" />}
    </nav>
  );
}

/** The heading of a collection's view: its name and description (the address may name one that is gone). */
export function CollectionHeading() {
  const place = usePlaces((s) => s.place);
  const collections = usePlaces((s) => s.collections);
  if (place.kind !== 'collection') return null;
  const c = collections.find((x) => x.id === place.id);
  return (
    <div className="lib-collection-head" data-testid="collection-head">
      <h2>{c ? c.name : 'Collection'}</h2>
      {c?.description && <p className="muted small">{c.description}</p>}
    </div>
  );
}

/** Everything the views add to the Library screen: the row of views, a collection's heading, the cards' menu. */
export function LibraryViewsBar({ problems }: { problems: boolean }) {
  return (
    <>
      <LibraryPlaces />
      {!problems && <CollectionHeading />}
      <ItemMenu />
    </>
  );
}
