import { useState, type ComponentType } from 'react';
import { ACCESS_TIERS, type AccessTier } from '../../../../shared/dto/library';
import { RatingInput } from '../../ui/Rating';
import { useLibrary } from './store';

/** The "queue with a preset" group (the jobs feature's), handed in by the app: a feature does not import another. */
export type QueueControl = ComponentType<{ videoIds: number[]; busy: boolean; run(fn: () => Promise<void>): Promise<void> }>;

type Run = (fn: () => Promise<void>) => Promise<void>;

/** Filled stars only for a rating every selected video shares; unrated or mixed shows empty stars. */
function useCommonRating(): number {
  return useLibrary((s) => {
    let r: number | null = null;
    for (const p of s.pages.values()) {
      for (const it of p.items) {
        if (!s.selected.has(it.id)) continue;
        if (r === null) r = it.rating;
        else if (r !== it.rating) return 0;
      }
    }
    return r ?? 0;
  });
}

/** Tags typed (comma-separated) to add to or remove from the selection; the text is the bar's (kept while hidden). */
function TagGroup({ busy, run, tag, setTag }: { busy: boolean; run: Run; tag: string; setTag(t: string): void }) {
  const tags = useLibrary((s) => s.tags);
  const bulk = useLibrary((s) => s.bulk);
  const tagList = () =>
    tag
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  return (
    <span className="lib-sel-group">
      <input
        className="input small"
        list="lib-tag-names"
        placeholder="tag, another"
        value={tag}
        onChange={(e) => setTag(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && tagList().length) void run(() => bulk({ addTags: tagList() })).then(() => setTag(''));
        }}
        aria-label="Tags to add or remove"
        data-testid="bulk-tag-input"
      />
      <datalist id="lib-tag-names">
        {tags.map((t) => (
          <option key={t.name} value={t.name} />
        ))}
      </datalist>
      <button className="button small" disabled={busy || !tagList().length} onClick={() => void run(() => bulk({ addTags: tagList() })).then(() => setTag(''))} data-testid="bulk-tag-add">
        + Tag
      </button>
      <button className="button secondary small" disabled={busy || !tagList().length} onClick={() => void run(() => bulk({ removeTags: tagList() })).then(() => setTag(''))} data-testid="bulk-tag-remove">
        − Untag
      </button>
    </span>
  );
}

function RateGroup({ busy, run }: { busy: boolean; run: Run }) {
  const bulk = useLibrary((s) => s.bulk);
  const commonRating = useCommonRating();
  return (
    <span className="lib-sel-group lib-rate" role="group" aria-label="Rate">
      <RatingInput rating={commonRating} onRate={(n) => void run(() => bulk({ rating: n }))} disabled={busy} starTestId="bulk-rate" testId="bulk-rating" />
      <button className="icon-button small muted" disabled={busy} title="Clear the rating" onClick={() => void run(() => bulk({ rating: 0 }))}>
        ⌫
      </button>
    </span>
  );
}

function TierSelect({ busy, run }: { busy: boolean; run: Run }) {
  const bulk = useLibrary((s) => s.bulk);
  return (
    <select className="input small" aria-label="Set tier" value="" disabled={busy} onChange={(e) => e.target.value && void run(() => bulk({ tier: e.target.value as AccessTier }))} data-testid="bulk-tier">
      <option value="">Set tier…</option>
      {ACCESS_TIERS.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}

/** Bulk actions on the selection: tag, untag, rate, tier, queue with a preset (and its chunking). */
export function SelectionBar({ QueueControl }: { QueueControl: QueueControl }) {
  const selected = useLibrary((s) => s.selected);
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  if (!selected.size) return null;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lib-selection" data-testid="selection-bar" role="toolbar" aria-label="Selection actions">
      <strong data-testid="selection-count">{selected.size} selected</strong>
      <TagGroup busy={busy} run={run} tag={tag} setTag={setTag} />
      <RateGroup busy={busy} run={run} />
      <TierSelect busy={busy} run={run} />
      <QueueControl videoIds={[...selected]} busy={busy} run={run} />
      <button className="button ghost small lib-sel-clear" onClick={() => useLibrary.getState().setSelection(new Set(), null)} title="Clear the selection (Esc)">
        ✕ Clear
      </button>
    </div>
  );
}
