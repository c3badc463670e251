import { useEffect, useMemo, useState } from 'react';
import type { Job, QueueState } from '../../../../shared/dto/jobs';
import { call } from '../../lib/api';
import { ActiveJobRow, FinishedJobRow, QueuedJobRow } from './JobRows';
import { QueueForm, type VideoOption } from './QueueForm';
import { subscribeJobs, useJobs } from './store';
import { useQueueReorder } from './useQueueReorder';
import { PresetEditor } from './PresetEditor';
import './jobs.css';

/** The header's one count: "1 running · 2 queued", "Queue paused · 1 paused · 2 queued", "Nothing running". */
export function queueSummary(queue: QueueState, jobs: Job[]): string {
  const running = jobs.filter((j) => j.status === 'running').length;
  const paused = jobs.filter((j) => j.status === 'paused').length;
  const parts = [
    ...(queue.paused ? ['Queue paused'] : []),
    ...(running ? [`${running} running`] : []),
    ...(paused ? [`${paused} paused`] : []),
    ...(queue.queued ? [`${queue.queued} queued`] : []),
  ];
  return parts.length ? parts.join(' · ') : 'Nothing running';
}

function QueuedList({ queued, titleOf }: { queued: Job[]; titleOf(j: Job): string }) {
  const { rowProps, note } = useQueueReorder(queued);
  return (
    <section className="job-section" aria-labelledby="jobs-queued-head">
      <h2 id="jobs-queued-head" className="job-section-head">
        Up next <span className="muted small">drag to reorder, or Alt+Up / Alt+Down on a row</span>
      </h2>
      <ol className="job-list job-list-queued" aria-label="Queued jobs, in the order they start" data-testid="jobs-queued">
        {queued.map((j, i) => (
          <QueuedJobRow key={j.id} job={j} title={titleOf(j)} place={i + 1} rowProps={rowProps(j)} />
        ))}
      </ol>
      <div className="job-sr-note" aria-live="polite" data-testid="job-move-note">
        {note}
      </div>
    </section>
  );
}

function FinishedList({ finished, titleOf }: { finished: Job[]; titleOf(j: Job): string }) {
  const clearFinished = useJobs((s) => s.clearFinished);
  const clearable = finished.some((j) => j.status !== 'interrupted');
  return (
    <section className="job-section" aria-labelledby="jobs-finished-head">
      <div className="job-section-bar">
        <h2 id="jobs-finished-head" className="job-section-head">
          Finished
        </h2>
        <button className="button secondary" onClick={() => void clearFinished()} disabled={!clearable} data-testid="jobs-clear-finished" title="Removes done, failed and cancelled jobs from this list; their outputs stay in the library">
          Clear finished
        </button>
      </div>
      <ul className="job-list job-list-finished" aria-label="Finished jobs">
        {finished.map((j) => (
          <FinishedJobRow key={j.id} job={j} title={titleOf(j)} />
        ))}
      </ul>
    </section>
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
  const active = jobs.filter((j) => j.status === 'running' || j.status === 'paused');
  const queued = jobs.filter((j) => j.status === 'queued');
  const finished = jobs.filter((j) => j.status !== 'running' && j.status !== 'paused' && j.status !== 'queued');

  return (
    <section className="screen jobs-screen">
      <header className="screen-head">
        <h1>Jobs</h1>
        <div className="row">
          {queue && (
            <span className="jobs-count" data-testid="queue-state" title={`Up to ${queue.concurrency} at once`}>
              {queueSummary(queue, jobs)}
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
        <div className="job-sections">
          {active.length > 0 && (
            <section className="job-section" aria-labelledby="jobs-active-head">
              <h2 id="jobs-active-head" className="job-section-head">
                Now
              </h2>
              <ul className="job-list" aria-label="Running jobs">
                {active.map((j) => (
                  <ActiveJobRow key={j.id} job={j} title={titleOf(j)} />
                ))}
              </ul>
            </section>
          )}
          {queued.length > 0 && <QueuedList queued={queued} titleOf={titleOf} />}
          {finished.length > 0 && <FinishedList finished={finished} titleOf={titleOf} />}
        </div>
      )}
      <PresetEditor />
    </section>
  );
}
