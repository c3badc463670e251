import { useState } from 'react';
import { ACCESS_TIERS, type AccessTier } from '../../../../shared/dto/library';
import { chunkHelp, useChunkChoice } from '../../lib/chunkChoice';
import { ChunkControl } from '../../ui/ChunkControl';
import { RatingInput } from '../../ui/Rating';
import { useLibrary } from './store';

/** Bulk actions on the selection: tag, untag, rate, tier, queue with a preset (and its chunking). */
export function SelectionBar() {
  const selected = useLibrary((s) => s.selected);
  const tags = useLibrary((s) => s.tags);
  const presets = useLibrary((s) => s.presets);
  const bulk = useLibrary((s) => s.bulk);
  const queue = useLibrary((s) => s.queue);
  const [tag, setTag] = useState('');
  const [preset, setPreset] = useState('');
  const [busy, setBusy] = useState(false);
  // 'web' (a browser-ready MP4) is what an owner queues most; it leads when it exists.
  const chosenPreset = preset || (presets.some((p) => p.name === 'web') ? 'web' : (presets[0]?.name ?? ''));
  // Follows the chosen preset's own chunkSeconds until the owner changes it here, as in the Jobs screen's form.
  const chunks = useChunkChoice(presets.find((p) => p.name === chosenPreset));
  // Filled stars only for a rating every selected video shares; unrated or mixed shows empty stars.
  const commonRating = useLibrary((s) => {
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
  if (!selected.size) return null;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  const tagList = () =>
    tag
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  const { chunking, error: chunkError } = chunks;
  // Sent only when the owner chose something here: otherwise each job keeps the preset's own setting.
  const params = chunks.changed ? chunks.params : undefined;
  const canQueue = !busy && !!chosenPreset && !chunkError;

  return (
    <div className="lib-selection" data-testid="selection-bar" role="toolbar" aria-label="Selection actions">
      <strong data-testid="selection-count">{selected.size} selected</strong>
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
      <span className="lib-sel-group lib-rate" role="group" aria-label="Rate">
        <RatingInput rating={commonRating} onRate={(n) => void run(() => bulk({ rating: n }))} disabled={busy} starTestId="bulk-rate" testId="bulk-rating" />
        <button className="icon-button small muted" disabled={busy} title="Clear the rating" onClick={() => void run(() => bulk({ rating: 0 }))}>
          ⌫
        </button>
      </span>
      <select
        className="input small"
        aria-label="Set tier"
        value=""
        disabled={busy}
        onChange={(e) => e.target.value && void run(() => bulk({ tier: e.target.value as AccessTier }))}
        data-testid="bulk-tier"
      >
        <option value="">Set tier…</option>
        {ACCESS_TIERS.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <span className="lib-sel-group">
        <select
          className="input small"
          aria-label="Preset"
          value={chosenPreset}
          onChange={(e) => {
            setPreset(e.target.value);
            chunks.reset();
          }}
          onKeyDown={(e) => {
            // Q focuses this picker; Enter queues, Esc goes back to the grid.
            if (e.key === 'Enter' && canQueue) {
              e.preventDefault();
              // Back to the grid once queued, so J/K and Esc work again.
              const picker = e.currentTarget;
              void run(() => queue(chosenPreset, params)).then(() => picker.blur());
            } else if (e.key === 'Escape') e.currentTarget.blur();
          }}
          data-queue-preset
          data-testid="bulk-preset"
          title="Enter queues a job per selected video"
        >
          {presets.length === 0 && <option value="">no presets</option>}
          {presets.map((p) => (
            <option key={p.name} value={p.name} title={p.description}>
              {p.name}
            </option>
          ))}
        </select>
        {chunking && (
          <span className="lib-sel-chunks" title={chunkError ?? chunkHelp(chunking)}>
            <ChunkControl choice={chunking} onChange={chunks.set} />
          </span>
        )}
        <button className="button small" disabled={!canQueue} onClick={() => void run(() => queue(chosenPreset, params))} data-testid="bulk-queue" title={chunkError ?? 'Queue a job for each selected video (Q)'}>
          Queue
        </button>
      </span>
      <button className="button ghost small lib-sel-clear" onClick={() => useLibrary.getState().setSelection(new Set(), null)} title="Clear the selection (Esc)">
        ✕ Clear
      </button>
    </div>
  );
}
