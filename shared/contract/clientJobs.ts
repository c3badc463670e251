import type { Job, JobProgress, JobStatus } from '../dto/jobs';
import { ChurchError, type Result } from '../errors';

/** The statuses a job ends in: nothing happens to it after these unless someone retries it. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];

export function isFinishedJobStatus(status: JobStatus): boolean {
  return FINISHED_JOB_STATUSES.includes(status);
}

export interface FollowJobOptions {
  /** Live progress of the job (the `jobs.progress` events for it). */
  onProgress?: (progress: JobProgress) => void;
  /** Every state of the job seen while following it (its `jobs.changed` events and reads): a hold for disk space shows here. */
  onJob?: (job: Job) => void;
  /** Stops following: the promise rejects with a CANCELLED error; the job itself is left alone. */
  signal?: AbortSignal;
  /** How often the job is read again, in case an event was missed; default 1 s. */
  pollMs?: number;
}

/** What following a job needs from a client. */
export interface JobFeed {
  get(id: number): Promise<Result<Job>>;
  onChanged(listener: (job: Job) => void): () => void;
  onProgress(listener: (progress: JobProgress) => void): () => void;
}

/**
 * Resolves with the job once it has finished. Its `jobs.changed` event ends the wait; the job is also read at
 * once (it may have ended before the listeners were attached: a remux of a tiny file takes milliseconds) and
 * then every `pollMs`.
 */
export function followJob(feed: JobFeed, id: number, opts: FollowJobOptions = {}): Promise<Job> {
  const { onProgress, onJob, signal, pollMs = 1000 } = opts;
  return new Promise<Job>((resolve, reject) => {
    let settled = false;
    const cleanup: (() => void)[] = [];
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      for (const undo of cleanup) undo();
      settle();
    };
    const stopped = () => finish(() => reject(new ChurchError('CANCELLED', `stopped following job ${id}`)));
    if (signal?.aborted) return stopped();
    const check = (job: Job) => {
      if (job.id !== id || settled) return;
      onJob?.(job);
      if (isFinishedJobStatus(job.status)) finish(() => resolve(job));
    };
    cleanup.push(feed.onChanged(check));
    if (onProgress) cleanup.push(feed.onProgress((p) => p.jobId === id && !settled && onProgress(p)));
    const poll = () => void feed.get(id).then((r) => r.ok && check(r.value));
    const timer = setInterval(poll, pollMs);
    cleanup.push(() => clearInterval(timer));
    if (signal) {
      signal.addEventListener('abort', stopped, { once: true });
      cleanup.push(() => signal.removeEventListener('abort', stopped));
    }
    poll();
  });
}
