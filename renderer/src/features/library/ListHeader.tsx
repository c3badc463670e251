import type { LibrarySort } from '../../../../shared/dto/library';
import './places.css';
import { useLibrary } from './store';

interface Column {
  label: string;
  sort?: LibrarySort;
  /** The order a first click sorts in: names A→Z, amounts largest first. */
  first?: 'asc' | 'desc';
  right?: boolean;
}

const COLUMNS: Column[] = [
  { label: '' },
  { label: 'Title', sort: 'title', first: 'asc' },
  { label: 'Length', sort: 'duration' },
  { label: 'Format', sort: 'resolution' },
  { label: 'Tier · rating', sort: 'rating' },
  { label: 'Tags' },
  { label: 'Size', sort: 'size', right: true },
];

const ARROW = { asc: '▲', desc: '▼' } as const;

/**
 * The list view's column headers: a click sorts by that column, a second click reverses it; the sorted column says
 * so to assistive technology (aria-sort). A table of its own above the list (the list itself is a listbox, whose
 * children can only be options), laid out on the rows' grid.
 */
export function ListHeader({ columnsClass }: { columnsClass: string }) {
  const sort = useLibrary((s) => s.query.sort);
  const order = useLibrary((s) => s.query.order);
  const setQuery = useLibrary((s) => s.setQuery);
  return (
    <div role="table" aria-label="Sort the list" className="lib-list-head" data-testid="list-head">
      <div role="row" className={`lib-row lib-row-head ${columnsClass}`}>
        {COLUMNS.map((c, i) => {
          const on = c.sort !== undefined && c.sort === sort;
          return (
            <div key={i} role="columnheader" aria-sort={on ? (order === 'asc' ? 'ascending' : 'descending') : undefined} className={c.right ? 'right' : undefined}>
              {c.sort ? (
                <button
                  type="button"
                  className={`lib-sort-head${on ? ' on' : ''}`}
                  data-testid={`list-sort-${c.sort}`}
                  title={on ? 'Reverse the order' : `Sort by ${c.label.toLowerCase()}`}
                  onClick={() => setQuery(on ? { order: order === 'asc' ? 'desc' : 'asc' } : { sort: c.sort, order: c.first ?? 'desc' })}
                >
                  {c.label}
                  <span aria-hidden className="lib-sort-arrow">
                    {on ? ARROW[order] : ''}
                  </span>
                </button>
              ) : (
                c.label && <span>{c.label}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
