import { useState } from 'react';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import type { VideoDetail } from '../../../../shared/dto/library';
import { call } from '../../lib/api';
import { isNeeded, usePresetParams, type ParamValue } from '../../lib/presetParams';
import { useToasts } from '../../lib/stores/toasts';
import { ParamForm } from '../../ui/ParamForm';

async function queue(video: VideoDetail, preset: PresetInfo, params: Record<string, ParamValue>): Promise<boolean> {
  try {
    const job = await call('jobs.enqueue', { videoId: video.id, preset: preset.name, ...(Object.keys(params).length ? { params } : {}) });
    useToasts.getState().push({ level: 'success', message: `Queued ${preset.name} for “${video.title}” (job ${job.id})` });
    return true;
  } catch {
    return false; // call() showed why
  }
}

/** The chosen preset's parameters (the watermark image…) with Queue and Cancel. */
function PresetParams({ video, preset, onDone }: { video: VideoDetail; preset: PresetInfo; onDone(): void }) {
  const form = usePresetParams(preset);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const shownErrors = tried ? form.errors : Object.fromEntries(Object.entries(form.errors).filter(([k]) => k in form.edits));
  const submit = async () => {
    setTried(true);
    if (form.firstError) return;
    setBusy(true);
    const ok = await queue(video, preset, form.params);
    setBusy(false);
    if (ok) onDone();
  };
  return (
    <div className="pv-preset-params" data-testid="preset-params">
      <p className="muted small">{preset.description}</p>
      <ParamForm fields={form.fields} edits={form.edits} errors={shownErrors} onChange={form.set} idPrefix="pv-param" />
      <div className="pv-preset-actions">
        <button className="button small" disabled={busy} onClick={() => void submit()} data-testid="preset-params-queue">
          Queue {preset.name}
        </button>
        <button className="button ghost small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * One button per preset: a preset that needs a value (the watermark's image, the overlay's file) opens its form
 * first; the others queue at once with their own settings.
 */
export function PresetQueue({ video, presets }: { video: VideoDetail; presets: PresetInfo[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const chosen = presets.find((p) => p.name === open);
  const needsValues = (p: PresetInfo) => p.fields.some((f) => isNeeded(f, p.fields, {}));
  return (
    <>
      <h3>Queue a preset</h3>
      <div className="pv-presets" data-testid="presets">
        {presets.map((p) => (
          <button
            key={p.name}
            className="button secondary small"
            title={needsValues(p) ? `${p.description} (asks for its settings first)` : p.description}
            aria-expanded={needsValues(p) ? open === p.name : undefined}
            onClick={() => (needsValues(p) ? setOpen(open === p.name ? null : p.name) : void queue(video, p, {}))}
            data-testid={`queue-${p.name}`}
          >
            {needsValues(p) ? `${p.name}…` : p.name}
          </button>
        ))}
      </div>
      {chosen && <PresetParams key={chosen.name} video={video} preset={chosen} onDone={() => setOpen(null)} />}
    </>
  );
}
