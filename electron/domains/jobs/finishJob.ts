import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { JobProgress, JobStatus } from '../../../shared/dto/jobs';
import type { Db } from '../../platform/db';
import type { SpaceDecision } from './diskGuard';
import { diskFullMessage, isDiskFull } from './diskSpace';
import type { JobLibrary } from './engineOptions';
import type { RunOutcome } from './executor';
import type { JobStore, StoredJob } from './JobStore';
import { checkOutput, sizeOnDisk } from './outputCheck';
import { applyOutputMode } from './outputMode';
import type { PreparedJob } from './prepareJob';
import { removeTempOutputs } from './recovery';
import { nowIso, StopSignal, type ActiveRun } from './runState';

/** What marking a job at its end needs from the engine. */
export interface FinishDeps {
  store: JobStore;
  db: Db;
  library: JobLibrary;
  env: NodeJS.ProcessEnv;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  changed(j: StoredJob): void;
  /** The job went back to the queue for lack of space: remember why, and try again later. */
  waitForSpace(jobId: number, decision: Extract<SpaceDecision, { ok: false }>): void;
  /** A run the closing studio stopped goes straight back to the queue (recovery 'requeue'), else stays interrupted. */
  requeueWhenClosed(): boolean;
  logError?: (msg: string, e: unknown) => void;
}

/** The wanted path, or the same name with -2, -3 … when an earlier output already has it (never overwrite). */
export function uniquePath(wanted: string): string {
  if (!existsSync(wanted)) return wanted;
  const ext = extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  for (let i = 2; ; i++) {
    const p = `${stem}-${i}${ext}`;
    if (!existsSync(p)) return p;
  }
}

/** A job that did not finish never shows 100 %: its last progress is capped just below. */
export function unfinishedProgress(p: JobProgress | null): JobProgress | null {
  if (!p || p.percent === null || p.percent < 100) return p;
  return { ...p, percent: 99.9, etaSec: null };
}

/**
 * A done run's output: the executor's extra files added (the sprite's WebVTT), checked, renamed into place and
 * registered with the job marked done in one transaction. Throws what makes the job fail after all.
 */
export async function finishDone(job: StoredJob, run: ActiveRun, ready: PreparedJob, out: Extract<RunOutcome, { kind: 'done' }>, deps: FinishDeps): Promise<void> {
  const { shape, prepared } = ready;
  if (run.stopReason) throw new StopSignal();
  for (const f of prepared.afterRun?.(out.kept) ?? []) writeFileSync(join(out.output, f.name), f.content);
  await checkOutput(shape.folder ? join(out.output, shape.mainFile!) : out.output, prepared.expect, deps.env);
  if (run.stopReason) throw new StopSignal();
  const { store } = deps;
  const finalPath = uniquePath(job.outputPath);
  applyOutputMode(out.output);
  store.update(job.id, { renamedTo: finalPath });
  renameSync(out.output, finalPath);
  const registered = shape.folder && shape.mainFile && shape.registerKind !== 'hls' ? join(finalPath, shape.mainFile) : finalPath;
  const size = sizeOnDisk(finalPath);
  const progress: JobProgress = { jobId: job.id, percent: 100, fps: run.progress?.fps ?? null, speed: run.progress?.speed ?? null, etaSec: 0, outTimeSec: run.durationSec, ...(run.progress?.host ? { host: run.progress.host } : {}) };
  const row = deps.db.transaction(() => {
    const ids = job.videoId === null ? [] : [deps.library.registerOutput({ videoId: job.videoId, jobId: job.id, preset: job.preset, kind: shape.registerKind, path: registered, sizeBytes: size }).id];
    return store.transition(job.id, 'done', { finishedAt: nowIso(), outputPath: finalPath, outputIds: ids, outputBytes: size, logTail: out.logTail, exitCode: out.exitCode, pid: null, tempPath: null, renamedTo: null, progress });
  })();
  deps.emit('jobs.progress', progress);
  deps.changed(row);
}

/**
 * A run that did not end done: what it left is removed, then the job goes back to the queue (waiting for space)
 * or ends failed, cancelled or interrupted. Returns the status it ended in ('queued' when it waits).
 */
export async function endUnfinished(job: StoredJob, run: ActiveRun, attempt: number, tempPath: string, outcome: Exclude<RunOutcome, { kind: 'done' }>, deps: FinishDeps): Promise<JobStatus> {
  const { store } = deps;
  // The cleanup must never keep the job from being marked: a throw here used to leave it 'running'.
  try {
    removeTempOutputs(job.outDir, job.id, tempPath);
    // Renamed but not registered (the library refused it): it must not stay behind as an orphan.
    const renamed = store.get(job.id)?.renamedTo;
    if (renamed) rmSync(renamed, { recursive: true, force: true });
  } catch (cleanup) {
    deps.logError?.(`job ${job.id}: its partial output could not be removed`, cleanup);
  }
  if (outcome.kind === 'waitingForSpace') {
    // Shown once, with its hold: waitForSpace tells the views.
    store.transition(job.id, 'queued', { startedAt: null, error: null, pid: null, tempPath: null, renamedTo: null, progress: null, attempts: attempt - 1 });
    deps.waitForSpace(job.id, outcome.decision);
    return 'queued';
  }
  // The process that ran it is going away: the job waits for the next engine rather than reading 'interrupted'.
  if (outcome.kind === 'stopped' && outcome.as === 'interrupted' && deps.requeueWhenClosed()) {
    deps.changed(store.transition(job.id, 'queued', { startedAt: null, finishedAt: null, error: null, exitCode: null, logTail: outcome.logTail, pid: null, tempPath: null, renamedTo: null, progress: null }));
    return 'queued';
  }
  const status: JobStatus = outcome.kind === 'stopped' ? outcome.as : 'failed';
  let message = outcome.reason;
  // A disk that filled mid-job: say which disk and how much is left, not "check the source and the preset".
  if (outcome.kind === 'failed' && (isDiskFull(outcome.logTail) || isDiskFull(outcome.reason))) message = await diskFullMessage(job.outDir).catch(() => message);
  const row = store.transition(job.id, status, { finishedAt: nowIso(), error: message, logTail: outcome.logTail, exitCode: outcome.exitCode, pid: null, tempPath: null, renamedTo: null, progress: unfinishedProgress(run.progress) });
  deps.changed(row);
  return status;
}
