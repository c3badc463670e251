import { useLibrary } from './store';
import './places.css';

/**
 * The tag filter: any number of tags, and the results carry every one of them (the library's `tags` filter is an
 * AND). Chosen tags show as chips (× takes one off); the menu adds another.
 */
export function TagFilter() {
  const chosen = useLibrary((s) => s.query.filters.tags) ?? [];
  const tags = useLibrary((s) => s.tags);
  const setFilters = useLibrary((s) => s.setFilters);
  const set = (next: string[]) => setFilters({ tags: next.length ? next : undefined });
  const offered = tags.filter((t) => !chosen.includes(t.name));
  return (
    <span className="lib-tag-filter" role="group" aria-label="Tags (videos with every one)">
      {chosen.map((t) => (
        <span key={t} className="chip on lib-tag-chip" data-testid="filter-tag-chip" data-tag={t}>
          {t}
          <button type="button" className="lib-tag-chip-x" aria-label={`Stop filtering by tag ${t}`} onClick={() => set(chosen.filter((x) => x !== t))}>
            ×
          </button>
        </span>
      ))}
      {(offered.length > 0 || !chosen.length) && (
        <select className="input" aria-label={chosen.length ? 'And tag' : 'Tag'} data-testid="filter-tag" value="" onChange={(e) => e.target.value && set([...chosen, e.target.value])}>
          <option value="">{chosen.length ? '+ and tag…' : 'Any tag'}</option>
          {offered.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.count})
            </option>
          ))}
        </select>
      )}
    </span>
  );
}
