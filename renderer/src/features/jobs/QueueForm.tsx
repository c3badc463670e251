import { useState } from 'react';
import { chunkHelp, useChunkChoice } from '../../lib/chunkChoice';
import { usePresetParams } from '../../lib/presetParams';
import { ChunkControl } from '../../ui/ChunkControl';
import { ParamForm } from '../../ui/ParamForm';
import { useJobs } from './store';

export interface VideoOption {
  id: number;
  title: string;
}

export function QueueForm({ videos }: { videos: VideoOption[] }) {
  const presets = useJobs((s) => s.presets);
  const enqueue = useJobs((s) => s.enqueue);
  const [videoId, setVideoId] = useState<number | null>(null);
  const [preset, setPreset] = useState('web');
  const [priority, setPriority] = useState(0);
  const [busy, setBusy] = useState(false);
  const chosenVideo = videoId ?? videos[0]?.id ?? null;
  const chosenPreset = presets.find((p) => p.name === preset) ?? presets[0];
  // Follows the chosen preset's own chunkSeconds until the owner changes it for this job.
  const chunks = useChunkChoice(chosenPreset);
  const { chunking, error: chunkError } = chunks;
  // The preset's own parameters (the watermark image, sizes, positions), as a form generated from its schema.
  const form = usePresetParams(chosenPreset);
  const [tried, setTried] = useState(false);
  const submit = async () => {
    setTried(true);
    if (chosenVideo === null || !chosenPreset || chunkError || form.firstError) return;
    setBusy(true);
    const params = { ...form.params, ...chunks.params };
    const job = await enqueue({ videoId: chosenVideo, preset: chosenPreset.name, priority, ...(Object.keys(params).length ? { params } : {}) });
    setBusy(false);
    if (job) setTried(false);
  };
  // A needed field left empty is pointed out once the owner tries to queue; a wrong value at once.
  const shownErrors = tried ? form.errors : Object.fromEntries(Object.entries(form.errors).filter(([k]) => k in form.edits));
  return (
    <div className="card job-form">
      <h2>Queue a job</h2>
      {videos.length === 0 ? (
        <p className="muted">The library is empty: import videos first (Library screen or "church import").</p>
      ) : (
        <div className="job-form-row">
          <label>
            Video
            <select value={chosenVideo ?? ''} onChange={(e) => setVideoId(Number(e.target.value))} data-testid="job-video">
              {videos.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.title} (#{v.id})
                </option>
              ))}
            </select>
          </label>
          <label>
            Preset
            <select
              value={chosenPreset?.name ?? ''}
              onChange={(e) => {
                setPreset(e.target.value);
                chunks.reset();
                form.reset();
                setTried(false);
              }}
              data-testid="job-preset"
            >
              {presets.map((p) => (
                <option key={p.name} value={p.name} title={p.description}>
                  {p.name} ({p.kind})
                </option>
              ))}
            </select>
          </label>
          <label>
            Priority
            <input type="number" min={-100} max={100} value={priority} onChange={(e) => setPriority(Number(e.target.value) || 0)} className="job-priority" />
          </label>
          {chunking && <ChunkControl choice={chunking} onChange={chunks.set} />}
          <button className="button" disabled={busy || !chosenPreset || !!chunkError} title={form.firstError ?? undefined} onClick={() => void submit()} data-testid="job-enqueue">
            Queue
          </button>
        </div>
      )}
      {chosenPreset && <p className="muted job-preset-help">{chosenPreset.description}</p>}
      {chosenPreset && videos.length > 0 && <ParamForm key={chosenPreset.name} fields={form.fields} edits={form.edits} errors={shownErrors} onChange={form.set} idPrefix="job-param" />}
      {chunking && !chunkError && <p className="muted job-preset-help" data-testid="job-chunk-help">{chunkHelp(chunking)}</p>}
      {chunkError && (
        <p className="form-error" role="alert" data-testid="job-chunk-error">
          {chunkError}
        </p>
      )}
    </div>
  );
}

