import type { AccessTier, LibrarySort } from '../../../../shared/dto/library';
import { ACCESS_TIERS } from '../../../../shared/dto/library';
import { hasFilters, useLibrary } from './store';
import { TagFilter } from './TagFilter';

const SORTS: { value: LibrarySort; label: string }[] = [
  { value: 'addedAt', label: 'Date added' },
  { value: 'title', label: 'Title' },
  { value: 'duration', label: 'Duration' },
  { value: 'resolution', label: 'Resolution' },
  { value: 'rating', label: 'Rating' },
  { value: 'size', label: 'File size' },
  { value: 'modifiedAt', label: 'File date' },
  { value: 'bitrate', label: 'Bitrate' },
  { value: 'codec', label: 'Codec' },
  { value: 'tier', label: 'Tier' },
  { value: 'fileName', label: 'File name' },
  { value: 'relevance', label: 'Relevance' },
];

interface Range {
  label: string;
  min?: number;
  max?: number;
}

const RESOLUTIONS: Range[] = [
  { label: 'Any size' },
  { label: '4K', min: 2160 },
  { label: '1080p and up', min: 1080 },
  { label: '720p and up', min: 720 },
  { label: 'Below 720p', max: 719 },
];

const DURATIONS: Range[] = [
  { label: 'Any length' },
  { label: 'Under 1 min', max: 60 },
  { label: '1–10 min', min: 60, max: 600 },
  { label: '10–30 min', min: 600, max: 1800 },
  { label: 'Over 30 min', min: 1800 },
];

const CODECS = ['h264', 'hevc', 'vp9', 'av1', 'mpeg4', 'prores'];

/** A select over preset ranges (resolution, duration); a filter matching none of them shows the first ("Any …"). */
function RangeSelect({ label, testId, ranges, min, max, onPick }: { label: string; testId: string; ranges: Range[]; min?: number; max?: number; onPick(range: Range): void }) {
  const picked = ranges.findIndex((r) => r.min === min && r.max === max);
  return (
    <select className="input" aria-label={label} data-testid={testId} value={picked < 0 ? 0 : picked} onChange={(e) => onPick(ranges[Number(e.target.value)]!)}>
      {ranges.map((r, i) => (
        <option key={r.label} value={i}>
          {r.label}
        </option>
      ))}
    </select>
  );
}

/** Sort key and direction (in the header, next to the view switch). */
export function SortControl() {
  const query = useLibrary((s) => s.query);
  const setQuery = useLibrary((s) => s.setQuery);
  return (
    <span className="lib-sort">
      <select className="input" aria-label="Sort by" data-testid="sort" value={query.sort} onChange={(e) => setQuery({ sort: e.target.value as LibrarySort })}>
        {SORTS.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <button className="button secondary small" onClick={() => setQuery({ order: query.order === 'asc' ? 'desc' : 'asc' })} title="Reverse the order" aria-label={query.order === 'asc' ? 'Ascending' : 'Descending'}>
        {query.order === 'asc' ? '↑' : '↓'}
      </button>
    </span>
  );
}

/** Filters. Each control maps to one field of the library's search request. */
export function FilterBar() {
  const query = useLibrary((s) => s.query);
  const setFilters = useLibrary((s) => s.setFilters);
  const f = query.filters;
  const toggleTier = (t: AccessTier) => {
    const cur = new Set(f.tiers ?? []);
    if (cur.has(t)) cur.delete(t);
    else cur.add(t);
    setFilters({ tiers: [...cur] });
  };

  return (
    <div className="lib-filters" data-testid="lib-filters">
      <div className="chip-group" role="group" aria-label="Tier">
        {ACCESS_TIERS.map((t) => (
          <button key={t} className={`chip${f.tiers?.includes(t) ? ' on' : ''}`} onClick={() => toggleTier(t)} aria-pressed={!!f.tiers?.includes(t)} data-testid={`filter-tier-${t}`}>
            {t}
          </button>
        ))}
      </div>
      <RangeSelect label="Resolution" testId="filter-resolution" ranges={RESOLUTIONS} min={f.minHeight} max={f.maxHeight} onPick={(r) => setFilters({ minHeight: r.min, maxHeight: r.max })} />
      <RangeSelect label="Duration" testId="filter-duration" ranges={DURATIONS} min={f.minDurationSec} max={f.maxDurationSec} onPick={(d) => setFilters({ minDurationSec: d.min, maxDurationSec: d.max })} />
      <select className="input" aria-label="Codec" data-testid="filter-codec" value={f.codecs?.[0] ?? ''} onChange={(e) => setFilters({ codecs: e.target.value ? [e.target.value] : undefined })}>
        <option value="">Any codec</option>
        {CODECS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <select className="input" aria-label="Minimum rating" data-testid="filter-rating" value={f.minRating ?? 0} onChange={(e) => setFilters({ minRating: Number(e.target.value) || undefined })}>
        <option value={0}>Any rating</option>
        {[1, 2, 3, 4, 5].map((n) => (
          <option key={n} value={n}>
            {'★'.repeat(n)}
            {n < 5 ? ' and up' : ''}
          </option>
        ))}
      </select>
      <TagFilter />
      <select
        className="input"
        aria-label="Show"
        data-testid="filter-show"
        value={f.favourite ? 'favourite' : f.missing ? 'missing' : f.duplicate ? 'duplicate' : ''}
        onChange={(e) => {
          const v = e.target.value;
          setFilters({ favourite: v === 'favourite' || undefined, missing: v === 'missing' || undefined, duplicate: v === 'duplicate' || undefined });
        }}
      >
        <option value="">All items</option>
        <option value="favourite">♥ Favourites</option>
        <option value="missing">Missing files</option>
        <option value="duplicate">Duplicates</option>
      </select>
      {hasFilters({ ...f, query: undefined }) && (
        <button className="button ghost small" onClick={() => setFilters({ tiers: undefined, minHeight: undefined, maxHeight: undefined, minDurationSec: undefined, maxDurationSec: undefined, codecs: undefined, minRating: undefined, tags: undefined, favourite: undefined, missing: undefined, duplicate: undefined })} data-testid="filter-clear">
          Clear filters
        </button>
      )}
    </div>
  );
}
