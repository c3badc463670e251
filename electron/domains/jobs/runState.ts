import type { JobProgress } from '../../../shared/dto/jobs';
import type { ProcessControl } from './ffmpegProcess';

/** One job the engine is running: its process (once spawned), why it is being stopped, its live progress. */
export interface ActiveRun {
  jobId: number;
  /** The one-piece encode once started (here or on a lab agent): pause and stop reach it. */
  handle: ProcessControl | null;
  /** Why it is being stopped: set before the process is signalled, read when it exits. */
  stopReason: string | null;
  /** When set, a stop leaves the job 'interrupted' (the studio closing) instead of 'cancelled'. */
  interrupt: boolean;
  progress: JobProgress | null;
  lastEmit: number;
  startedMs: number;
  durationSec: number | null;
  finished: Promise<void>;
  /** Set by a chunked run: pause releases its processes (instead of SIGSTOP), stop ends them all. */
  control: RunControl | null;
  /**
   * A lab run whose agent has finished and uploaded: the agent's slot is free for the next job while this one is
   * still checked and registered here (it stays 'running' in SQLite until then). Never set for a local run.
   */
  encodeDone: boolean;
  /** The owner paused this one job (jobs.pauseJob): it stays suspended when the whole queue resumes. */
  held: boolean;
}

export interface RunControl {
  pause(): void;
  resume(): void;
  stop(graceMs: number): void;
}

/** A queue slot granted to one more unit of a running job (a chunk); release it when the unit is done. */
export interface Slot {
  release(): void;
}

export interface SlotRequest {
  granted: Promise<Slot>;
  /** Withdraws a request not yet granted (a granted slot is released instead). */
  cancel(): void;
}

export function newActiveRun(jobId: number): ActiveRun {
  return { jobId, handle: null, stopReason: null, interrupt: false, progress: null, lastEmit: 0, startedMs: Date.now(), durationSec: null, finished: Promise.resolve(), control: null, encodeDone: false, held: false };
}

/** Thrown inside a run when its stopReason was set: the run ends as cancelled or interrupted, not failed. */
export class StopSignal extends Error {}

/** The error a job stopped by close() carries: recover() re-queues exactly these (in 'requeue' mode). */
export const CLOSED_REASON = 'the studio closed while this job was running';

export function nowIso(): string {
  return new Date().toISOString();
}
