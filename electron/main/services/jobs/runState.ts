import type { JobProgress } from '../../../../shared/dto/jobs';
import type { JobEngineOptions } from './engineOptions';
import type { FfmpegHandle } from './ffmpegProcess';
import type { JobStore, StoredJob } from './JobStore';
import type { OverlayResolver, SourceMedia } from './planJob';
import type { ProgressSnapshot } from './progressParser';

/** One job the engine is running: its process (once spawned), why it is being stopped, its live progress. */
export interface ActiveRun {
  jobId: number;
  handle: FfmpegHandle | null;
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
  return { jobId, handle: null, stopReason: null, interrupt: false, progress: null, lastEmit: 0, startedMs: Date.now(), durationSec: null, finished: Promise.resolve(), control: null };
}

/** What running and recovering a job need from the engine (so those modules never import the engine itself). */
export interface EngineContext {
  readonly opts: JobEngineOptions;
  readonly store: JobStore;
  readonly env: NodeJS.ProcessEnv;
  isPaused(): boolean;
  changed(j: StoredJob): void;
  loadSources(ids: number[]): Promise<SourceMedia[]>;
  overlays(render?: boolean): OverlayResolver;
  progress(run: ActiveRun, s: ProgressSnapshot): void;
  /** Live progress computed by the runner itself (a chunked job's whole-job figures), throttled like progress(). */
  publishProgress(run: ActiveRun, p: JobProgress, force?: boolean): void;
  /** One more queue slot for a unit of this job, granted in the queue's priority order. */
  requestSlot(jobId: number, priority: number): SlotRequest;
}

/** Thrown inside a run when its stopReason was set: the run ends as cancelled or interrupted, not failed. */
export class StopSignal extends Error {}

/** The error a job stopped by close() carries: recover() re-queues exactly these (in 'requeue' mode). */
export const CLOSED_REASON = 'the studio closed while this job was running';

export function nowIso(): string {
  return new Date().toISOString();
}
