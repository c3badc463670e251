import { fmtBytes } from '../../../../shared/format/bytes';
import { useEffect, useMemo, useState } from 'react';
import type { Job, JobProgress } from '../../../../shared/dto/jobs';
import { call } from '../../lib/api';
import { chunkHelp, useChunkChoice } from '../../lib/chunkChoice';
import { usePresetParams } from '../../lib/presetParams';
import { ParamForm } from '../../ui/ParamForm';
import { ChunkControl } from '../../ui/ChunkControl';
import { PresetEditor } from './PresetEditor';
import { formatEta, subscribeJobs, useJobs } from './store';
import './jobs.css';

const STATUS_CLASS: Record<Job['status'], string> = {
  queued: 'badge',
  running: 'badge badge-run',
  paused: 'badge badge-warn',
  done: 'badge badge-ok',
  failed: 'badge badge-bad',
  cancelled: 'badge',
  interrupted: 'badge badge-warn',
};

function ProgressBar({ job, progress }: { job: Job; progress: JobProgress | undefined }) {
  const pct = job.status === 'done' ? 100 : (progress?.percent ?? 0);
  return (
    <div className="job-progress">
      <div
        className={`job-bar${job.status === 'paused' ? ' paused' : ''}${job.status === 'done' ? ' done' : ''}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-label={`Job ${job.id} progress`}
        data-testid="job-progress"
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      {(job.status === 'running' || job.status === 'paused') && (
        <div className="job-figures muted">
          <span data-testid="job-percent">{progress?.percent !== null && progress?.percent !== undefined ? `${progress.percent.toFixed(1)} %` : 'starting…'}</span>
          <span>{progress?.fps != null ? `${progress.fps.toFixed(0)} fps` : '– fps'}</span>
          <span>{progress?.speed != null ? `${progress.speed.toFixed(2)}×` : '–×'}</span>
          <span>ETA {formatEta(progress?.etaSec ?? null)}</span>
          {progress?.chunks && (
            <span data-testid="job-chunks" title={`${progress.chunks.running} encoding now`}>
              chunk {Math.min(progress.chunks.done + Math.max(progress.chunks.running, 1), progress.chunks.total)}/{progress.chunks.total} · {progress.chunks.done} done
            </span>
          )}
          {(progress?.host ?? job.host) ? <span data-testid="job-host">on {progress?.host ?? job.host}</span> : null}
        </div>
      )}
    </div>
  );
}

function JobRow({ job, title }: { job: Job; title: string }) {
  const progress = useJobs((s) => s.progress[job.id]);
  const { cancel, retry } = useJobs.getState();
  const canCancel = job.status === 'queued' || job.status === 'running' || job.status === 'paused' || job.status === 'interrupted';
  const canRetry = job.status === 'failed' || job.status === 'cancelled' || job.status === 'interrupted';
  return (
    <li className="job-row card" data-testid="job-row" data-status={job.status} data-job-id={job.id}>
      <div className="job-head">
        <span className="job-id mono">#{job.id}</span>
        <span className="job-title" title={job.plan ?? undefined}>
          <strong>{job.preset}</strong> · {title}
          {job.priority !== 0 && <span className="muted"> · priority {job.priority}</span>}
        </span>
        <span className={STATUS_CLASS[job.status]} data-testid="job-status">
          {job.status}
        </span>
        <span className="job-actions">
          {canCancel && (
            <button className="button secondary" onClick={() => void cancel(job.id)} data-testid="job-cancel">
              Cancel
            </button>
          )}
          {canRetry && (
            <button className="button secondary" onClick={() => void retry(job.id)} data-testid="job-retry">
              Retry
            </button>
          )}
        </span>
      </div>
      <ProgressBar job={job} progress={progress} />
      {job.plan && <div className="job-plan muted">{job.plan}</div>}
      {job.status === 'done' && <div className="job-output mono" title="Output">{job.outputPath}</div>}
      {job.waiting && (
        <div className="form-error" data-testid="job-waiting" title={job.waiting.reason}>
          Waiting for disk space: needs {fmtBytes(job.waiting.neededBytes)}, {fmtBytes(job.waiting.freeBytes)} free in{' '}
          <span className="mono">{job.waiting.path}</span>
          {job.waiting.disk && ` (${job.waiting.disk.device} mounted at ${job.waiting.disk.mount})`}. It starts when there is room; free some space
          there, or cancel it and choose another output folder.
        </div>
      )}
      {job.error && (job.status === 'failed' || job.status === 'interrupted' || job.status === 'cancelled') && (
        <div className={job.status === 'failed' ? 'form-error' : 'muted'} data-testid="job-error">
          {job.error}
        </div>
      )}
      {job.status === 'failed' && job.logTail && (
        <details className="job-log">
          <summary>ffmpeg log (last lines)</summary>
          <pre className="mono" data-testid="job-log">{job.logTail}</pre>
        </details>
      )}
    </li>
  );
}

interface VideoOption {
  id: number;
  title: string;
}

function QueueForm({ videos }: { videos: VideoOption[] }) {
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

export function JobsScreen() {
  const jobs = useJobs((s) => s.jobs);
  const queue = useJobs((s) => s.queue);
  const loaded = useJobs((s) => s.loaded);
  const togglePause = useJobs((s) => s.togglePause);
  const [videos, setVideos] = useState<VideoOption[]>([]);

  useEffect(() => {
    const off = subscribeJobs();
    const s = useJobs.getState();
    void s.load();
    void s.loadPresets();
    void call('library.search', { limit: 500, sort: 'title', order: 'asc', withTotal: false }, { quiet: true })
      .then((page) => setVideos(page.items.map((v) => ({ id: v.id, title: v.title }))))
      .catch(() => setVideos([]));
    return off;
  }, []);

  const titles = useMemo(() => new Map(videos.map((v) => [v.id, v.title])), [videos]);
  const titleOf = (j: Job) => (j.videoId === null ? 'file' : (titles.get(j.videoId) ?? `video #${j.videoId}`)) + (j.extraVideoIds.length ? ` + ${j.extraVideoIds.length} more` : '');

  return (
    <section className="screen jobs-screen">
      <header className="screen-head">
        <h1>Jobs</h1>
        <div className="row">
          {queue && (
            <span className="muted" data-testid="queue-state">
              {queue.paused ? 'Paused' : 'Running'} · {queue.running} running · {queue.queued} queued · up to {queue.concurrency} at once
            </span>
          )}
          <button className="button secondary" onClick={() => void togglePause()} data-testid="queue-toggle" disabled={!queue}>
            {queue?.paused ? 'Resume queue' : 'Pause queue'}
          </button>
        </div>
      </header>
      <QueueForm videos={videos} />
      {loaded && jobs.length === 0 ? (
        <div className="empty" data-testid="jobs-empty">
          <p>No jobs yet.</p>
          <p className="muted">
            Pick a video and a preset above, or run <code>church transcode VIDEO_ID --preset web</code>. Jobs survive restarts; a job cut off by a crash is
            picked up again at the next start.
          </p>
        </div>
      ) : (
        <ul className="job-list" aria-label="Job queue">
          {jobs.map((j) => (
            <JobRow key={j.id} job={j} title={titleOf(j)} />
          ))}
        </ul>
      )}
      <PresetEditor />
    </section>
  );
}
