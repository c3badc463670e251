import type { JobProgress, NoSpaceMode, PresetKind } from '../../../shared/dto/jobs';
import { isChurchError } from '../../../shared/errors';
import { PresetError, type ResolvedPreset } from '../../platform/media/presets';
import type { UnitRunner } from './chunks/chunkUnit';
import { UnitFailed } from './chunks/chunkUnit';
import type { SpaceDecision } from './diskGuard';
import type { ProcessControl } from './ffmpegProcess';
import type { StoredJob } from './JobStore';
import type { SourceMedia } from './planJob';
import type { ProgressSnapshot } from './progressParser';
import { StopSignal, type ActiveRun, type SlotRequest } from './runState';

/** What ffmpeg left to read: its last log lines and exit code (null: no exit of its own, or none ran). */
export interface RunLog {
  logTail: string;
  exitCode: number | null;
}

/** How one run of a job ended. An executor returns it; the engine marks the job from it. */
export type RunOutcome =
  /** The output is at `output` (the job's temp path), still to be checked, renamed and registered. */
  | ({ kind: 'done'; output: string; kept: string[]; planNote: string | null } & RunLog)
  /** reason: the job's error message, as the owner reads it. */
  | ({ kind: 'failed'; reason: string } & RunLog)
  /** Stopped on purpose: by the owner or the kill switch (cancelled), or by the studio closing (interrupted). */
  | ({ kind: 'stopped'; as: 'cancelled' | 'interrupted'; reason: string } & RunLog)
  /** Its disk had too little room before ffmpeg ran, and the owner chose to wait: back to the queue. */
  | { kind: 'waitingForSpace'; decision: Extract<SpaceDecision, { ok: false }> };

/** Every outcome but done: the job is marked from it without an output. */
export type Unfinished = Exclude<RunOutcome, { kind: 'done' }>;

/** One prepared run of a job: what an executor needs to run it. */
export interface RunRequest {
  job: StoredJob;
  attempt: number;
  run: ActiveRun;
  preset: ResolvedPreset;
  sources: SourceMedia[];
  /** The one-piece ffmpeg command; it writes tempPath. */
  args: string[];
  tempPath: string;
  workDir: string;
  durationSec: number | null;
  /** The local ffmpeg binary. */
  ffmpeg: string;
  /** Set for the sprite: ffmpeg's log lines to hand back in the outcome's `kept`. */
  keepStderr: RegExp | null;
  /** One output file, no work files beside it, nothing read back from stderr: it may run on another machine. */
  portable: boolean;
  /** The disk guard's estimate of the output's size (its 10 % margin included, not the disk's headroom), for executors that take it from elsewhere. */
  outputEstimateBytes?: number;
  /** What the job does when its output finds no room (an upload the output's disk refused): wait, or fail. */
  noSpace?: NoSpaceMode;
  /** Seconds per chunk when the job is to be split (null: one piece). */
  chunkSec: number | null;
}

/** What an executor tells the engine while it runs one job (bound to that job). */
export interface RunPort {
  readonly env: NodeJS.ProcessEnv;
  readonly stallTimeoutMs: number;
  /** SIGTERM → SIGKILL grace for the processes a pause releases. */
  readonly cancelGraceMs: number;
  isPaused(): boolean;
  /** The process now running the job (null: none on this machine) and, for a chunked job, the command it runs. */
  record(patch: { pid?: number | null; args?: string[] }): void;
  /** The queue is paused and the run holds nothing running: the job shows as paused. */
  showPaused(): void;
  /** An ffmpeg progress report; host: the lab agent running it. */
  progress(s: ProgressSnapshot, host?: string): void;
  /** Whole-job progress worked out by the executor itself (a chunked job's), throttled like progress(). */
  publishProgress(p: JobProgress, force?: boolean): void;
  /** One more queue slot for a unit of this job, granted in the queue's priority order. */
  requestSlot(): SlotRequest;
  /** The encode is over elsewhere (a lab agent uploaded it): its slot goes to the next job while this one is checked. */
  encodeDone(): void;
}

export interface JobExecutor {
  readonly name: string;
  /** Whether this executor takes the run (asked in order: chunked, a registered one, local). */
  accepts(req: RunRequest): boolean;
  /** null: it declined after a closer look (a source with too few keyframes to split); the next one runs it. */
  run(req: RunRequest, port: RunPort): Promise<RunOutcome | null>;
}

/**
 * An executor that runs jobs on other machines (the lab), registered with the engine as a plug-in: it takes the
 * jobs it accepts, its capacity sets the queue's concurrency, and it may run a chunked job's units.
 */
export interface RemoteExecutor extends JobExecutor {
  /** How many jobs it can run at once now; null to use the local setting. */
  capacity(): number | null;
  /** A runner for a chunked job's units (local: for the units it cannot take). */
  unitRunner?(kind: PresetKind, local: UnitRunner): UnitRunner;
}

/** The slot a remote executor is registered in (the job engine). */
export interface ExecutorSlot {
  registerExecutor(executor: RemoteExecutor | null): void;
}

const NO_LOG: RunLog = { logTail: '', exitCode: null };

/** The run was stopped on purpose (its stopReason is set): cancelled, or interrupted when the studio closes. */
export function stoppedOutcome(run: ActiveRun, log: RunLog = NO_LOG): Unfinished {
  return { kind: 'stopped', as: run.interrupt ? 'interrupted' : 'cancelled', reason: run.stopReason ?? 'stopped', logTail: log.logTail, exitCode: log.exitCode };
}

/** Holds a started process on the run (so pause and stop reach it), records it, and pauses it if the queue is. */
export function holdProcess(run: ActiveRun, port: RunPort, handle: ProcessControl & { pid: number | null }): void {
  run.handle = handle;
  port.record({ pid: handle.pid });
  // The queue may have been paused between launch and spawn.
  if (port.isPaused() && handle.suspend()) port.showPaused();
}

/** The owner's message for a thrown error: a ChurchError's or PresetError's own, else "the job failed: …". */
function messageOf(e: unknown): string {
  if (isChurchError(e) || e instanceof PresetError) return e.message;
  return `the job failed: ${(e as Error).message}`;
}

/** A thrown error as an outcome: stopped when the run is being stopped, else failed (a unit's log kept). */
export function outcomeOfError(e: unknown, run: ActiveRun, log: RunLog = NO_LOG): Unfinished {
  const at = e instanceof UnitFailed ? { logTail: e.logTail, exitCode: e.exitCode } : log;
  if (e instanceof StopSignal || run.stopReason !== null) return stoppedOutcome(run, at);
  return { kind: 'failed', reason: messageOf(e), logTail: at.logTail, exitCode: at.exitCode };
}
