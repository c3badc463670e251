import type { JobProgress, NoSpaceMode } from '../../../shared/dto/jobs';
import type { SpaceDecision } from './diskGuard';
import type { JobEngineOptions } from './engineOptions';
import type { FfmpegHandle } from './ffmpegProcess';
import type { JobStore, StoredJob } from './JobStore';
import type { OverlayResolver, SourceMedia } from './planJob';
import type { ProgressSnapshot } from './progressParser';
import type { RemoteRunner } from './remoteRunner';

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
  /**
   * A lab run whose agent has finished and uploaded: the agent's slot is free for the next job while this one is
   * still checked and registered here (it stays 'running' in SQLite until then). Never set for a local run.
   */
  encodeDone: boolean;
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
  return { jobId, handle: null, stopReason: null, interrupt: false, progress: null, lastEmit: 0, startedMs: Date.now(), durationSec: null, finished: Promise.resolve(), control: null, encodeDone: false };
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
  /** host: the lab agent running it, for a run elsewhere. */
  progress(run: ActiveRun, s: ProgressSnapshot, host?: string): void;
  /** The lab, when jobs may run on its agents. */
  remote(): RemoteRunner | null;
  /** What a job does when its disk has too little room: wait in the queue (default) or fail at once. */
  noSpaceMode(): NoSpaceMode;
  /** The job went back to the queue for lack of space: remember why, and try again later. */
  waitForSpace(jobId: number, decision: Extract<SpaceDecision, { ok: false }>): void;
  /** Live progress computed by the runner itself (a chunked job's whole-job figures), throttled like progress(). */
  publishProgress(run: ActiveRun, p: JobProgress, force?: boolean): void;
  /** One more queue slot for a unit of this job, granted in the queue's priority order. */
  requestSlot(jobId: number, priority: number): SlotRequest;
  /** A lab agent has ended this run's encode (its output is here): its slot goes to the next job now. */
  remoteEncodeDone(run: ActiveRun): void;
}

/** Thrown inside a run when its stopReason was set: the run ends as cancelled or interrupted, not failed. */
export class StopSignal extends Error {}

/** The error a job stopped by close() carries: recover() re-queues exactly these (in 'requeue' mode). */
export const CLOSED_REASON = 'the studio closed while this job was running';

export function nowIso(): string {
  return new Date().toISOString();
}
