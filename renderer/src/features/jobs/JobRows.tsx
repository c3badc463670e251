import type { HTMLAttributes, ReactNode } from 'react';
import { fmtBytes } from '../../../../shared/format/bytes';
import type { Job, JobProgress } from '../../../../shared/dto/jobs';
import { useNav } from '../../lib/stores/nav';
import { useToasts } from '../../lib/stores/toasts';
import { StatusPill, type StatusTone } from '../../ui/StatusPill';
import { durationText, elapsedMs, startedText, useNow } from './jobTimes';
import { formatEta, useJobs } from './store';

const TONE: Record<Job['status'], StatusTone> = {
  queued: 'neutral',
  running: 'busy',
  paused: 'warn',
  done: 'ok',
  failed: 'bad',
  cancelled: 'neutral',
  interrupted: 'warn',
};

function ProgressBar({ job, progress }: { job: Job; progress: JobProgress | undefined }) {
  const pct = progress?.percent ?? 0;
  return (
    <div className="job-progress">
      <div
        className={`job-bar${job.status === 'paused' ? ' paused' : ''}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-label={`Job ${job.id} progress`}
        data-testid="job-progress"
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="job-figures muted">
        <span data-testid="job-percent">{progress?.percent != null ? `${progress.percent.toFixed(1)} %` : 'starting…'}</span>
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
    </div>
  );
}

/** Started, elapsed and size: the figures HandBrake's queue shows for every job. */
function JobTimes({ job }: { job: Job }) {
  const live = job.status === 'running';
  const now = useNow(live);
  const ms = elapsedMs(job, now);
  return (
    <span className="job-times muted" data-testid="job-times">
      {job.startedAt && <span data-testid="job-started">started {startedText(job.startedAt)}</span>}
      {ms !== null && <span data-testid="job-elapsed">{durationText(ms)}{live || job.status === 'paused' ? ' so far' : ''}</span>}
      {job.outputBytes != null && <span data-testid="job-size">{fmtBytes(job.outputBytes)}</span>}
    </span>
  );
}

function JobHead({ job, title, lead, children }: { job: Job; title: string; lead?: ReactNode; children?: ReactNode }) {
  return (
    <div className="job-head">
      {lead}
      <span className="job-id mono">#{job.id}</span>
      <span className="job-title" title={job.plan ?? undefined}>
        <strong>{job.preset}</strong> · {title}
      </span>
      <StatusPill tone={TONE[job.status]} testId="job-status">
        {job.held ? 'paused (this job)' : job.status}
      </StatusPill>
      <JobTimes job={job} />
      <span className="job-actions">{children}</span>
    </div>
  );
}

function RowError({ id }: { id: number }) {
  const error = useJobs((s) => s.rowErrors[id]);
  return error ? (
    <div className="form-error" role="alert" data-testid="job-action-error">
      {error}
    </div>
  ) : null;
}

function CancelButton({ job }: { job: Job }) {
  return (
    <button className="button secondary" onClick={() => void useJobs.getState().cancel(job.id)} data-testid="job-cancel" aria-label={`Cancel job ${job.id}`}>
      Cancel
    </button>
  );
}

/** A running or paused job: the loudest row, with its live progress. */
export function ActiveJobRow({ job, title }: { job: Job; title: string }) {
  const progress = useJobs((s) => s.progress[job.id]);
  const { pauseJob, resumeJob } = useJobs.getState();
  return (
    <li className="job-row job-row-active card" data-testid="job-row" data-status={job.status} data-job-id={job.id}>
      <JobHead job={job} title={title}>
        {job.held ? (
          <button className="button secondary" onClick={() => void resumeJob(job.id)} data-testid="job-resume">
            Resume
          </button>
        ) : (
          job.status === 'running' && (
            <button className="button secondary" onClick={() => void pauseJob(job.id)} data-testid="job-pause">
              Pause
            </button>
          )
        )}
        <CancelButton job={job} />
      </JobHead>
      <ProgressBar job={job} progress={progress} />
      {job.plan && <div className="job-plan muted">{job.plan}</div>}
      <RowError id={job.id} />
    </li>
  );
}

/** A queued job: one quiet line, draggable (and Alt+Up/Down) into another place of the queue. */
export function QueuedJobRow({ job, title, place, rowProps }: { job: Job; title: string; place: number; rowProps: HTMLAttributes<HTMLLIElement> }) {
  return (
    <li
      className="job-row job-row-queued"
      data-testid="job-row"
      data-status={job.status}
      data-job-id={job.id}
      aria-label={`Queued job ${job.id}, place ${place}: ${job.preset}, ${title}. Alt+Up or Alt+Down moves it.`}
      {...rowProps}
    >
      <JobHead
        job={job}
        title={title}
        lead={
          <span className="job-grip" aria-hidden="true" title="Drag to reorder (or Alt+Up / Alt+Down)">
            ⋮⋮
          </span>
        }
      >
        <CancelButton job={job} />
      </JobHead>
      {job.waiting && (
        <div className="form-error" data-testid="job-waiting" title={job.waiting.reason}>
          Waiting for disk space: needs {fmtBytes(job.waiting.neededBytes)}, {fmtBytes(job.waiting.freeBytes)} free in{' '}
          <span className="mono">{job.waiting.path}</span>
          {job.waiting.disk && ` (${job.waiting.disk.device} mounted at ${job.waiting.disk.mount})`}. It starts when there is room; free some space
          there, or cancel it and choose another output folder.
        </div>
      )}
      <RowError id={job.id} />
    </li>
  );
}

function copyPath(path: string): void {
  const toasts = useToasts.getState();
  navigator.clipboard
    .writeText(path)
    .then(() => toasts.push({ level: 'success', message: 'Output path copied.' }))
    .catch(() => toasts.push({ level: 'warning', message: `Could not copy the path; it is ${path}` }));
}

/** A finished (or interrupted) job: quieter, with its output to play and what went wrong when it did. */
export function FinishedJobRow({ job, title }: { job: Job; title: string }) {
  const { retry, cancel } = useJobs.getState();
  const go = useNav((s) => s.go);
  const canRetry = job.status === 'failed' || job.status === 'cancelled' || job.status === 'interrupted';
  return (
    <li className="job-row job-row-finished" data-testid="job-row" data-status={job.status} data-job-id={job.id}>
      <JobHead job={job} title={title}>
        {job.status === 'done' && job.videoId !== null && (
          <button className="button secondary" onClick={() => go(`library/video/${job.videoId}`)} data-testid="job-play" title="Open the video page, where this output plays">
            Play
          </button>
        )}
        {job.status === 'done' && (
          <button className="button secondary" onClick={() => copyPath(job.outputPath)} data-testid="job-copy-path">
            Copy path
          </button>
        )}
        {canRetry && (
          <button className="button secondary" onClick={() => void retry(job.id)} data-testid="job-retry">
            Retry
          </button>
        )}
        {job.status === 'interrupted' && (
          <button className="button secondary" onClick={() => void cancel(job.id)} data-testid="job-cancel">
            Discard
          </button>
        )}
      </JobHead>
      {job.plan && <div className="job-plan muted">{job.plan}</div>}
      {job.status === 'done' && (
        <div className="job-output mono muted" title="Output">
          {job.outputPath}
        </div>
      )}
      {job.error && job.status !== 'done' && (
        <div className={job.status === 'failed' ? 'form-error' : 'muted'} data-testid="job-error">
          {job.error}
        </div>
      )}
      {job.status === 'failed' && job.logTail && (
        <details className="job-log">
          <summary>ffmpeg log (last lines)</summary>
          <pre className="mono" data-testid="job-log">
            {job.logTail}
          </pre>
        </details>
      )}
      <RowError id={job.id} />
    </li>
  );
}
