import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JobStatus } from '../../../shared/dto/jobs';
import { outcomeOfError, stoppedOutcome, type JobExecutor, type RunLog, type RunOutcome, type RunPort, type RunRequest, type Unfinished } from './executor';
import { holdsFinishedUnits } from './chunks/chunkWorkDir';
import { endUnfinished, finishDone, type FinishDeps } from './finishJob';
import type { StoredJob } from './JobStore';
import { tempPathFor } from './planJob';
import { prepareJob, type PrepareDeps } from './prepareJob';
import type { ActiveRun } from './runState';

/** What running one job needs: the engine's parts for preparing and finishing it, its executors and its port. */
export interface JobRunSteps {
  dataDir: string;
  prepare: PrepareDeps;
  /** Asked in order; the first that accepts and does not decline runs the job (the last, local, takes all). */
  executors: readonly JobExecutor[];
  port: RunPort;
  finish: FinishDeps;
}

/** Picks the executor for a prepared run and runs it. */
export async function execute(req: RunRequest, port: RunPort, executors: readonly JobExecutor[]): Promise<RunOutcome> {
  for (const ex of executors) {
    if (!ex.accepts(req)) continue;
    const outcome = await ex.run(req, port);
    if (outcome) return outcome;
  }
  throw new Error('no executor took the job');
}

/** An outcome seen with the run's stop in mind: a run being stopped ends stopped, whatever else it says. */
function settled(outcome: Unfinished, run: ActiveRun): Unfinished {
  if (outcome.kind === 'stopped' || run.stopReason === null) return outcome;
  return stoppedOutcome(run, outcome.kind === 'failed' ? outcome : undefined);
}

/** Prepares, executes and (when done) finishes the job; returns how it ended unless it ended done. */
async function runOnce(steps: JobRunSteps, job: StoredJob, run: ActiveRun, attempt: number, paths: { tempPath: string; workDir: string }, chunked: () => void): Promise<Unfinished | null> {
  // The executor's log, kept with the job when a later step (the output check, registering) fails it.
  let log: RunLog | undefined;
  try {
    const ready = await prepareJob(job, run, attempt, paths, steps.prepare);
    if ('kind' in ready) return settled(ready, run);
    if (ready.req.chunkSec !== null) chunked();
    const outcome = await execute(ready.req, steps.port, steps.executors);
    if (outcome.kind !== 'done') return settled(outcome, run);
    log = outcome;
    if (outcome.planNote) steps.finish.store.update(job.id, { plan: `${ready.prepared.plan}; ${outcome.planNote}` });
    await finishDone(job, run, ready, outcome, steps.finish);
    return null;
  } catch (e) {
    return outcomeOfError(e, run, log);
  }
}

/**
 * Runs one job to its end state: prepare (arguments, folders, disk room), execute (the executor that takes it:
 * chunked, the lab, or one local ffmpeg), finalize (check, rename and register the output, or remove what the
 * run left and mark it failed, cancelled, interrupted, or queued again to wait for space).
 */
export async function executeJob(steps: JobRunSteps, job: StoredJob, run: ActiveRun, attempt: number): Promise<void> {
  const tempPath = tempPathFor(job.outputPath, job.id, attempt);
  const workDir = join(steps.dataDir, 'jobs-work', String(job.id));
  // A chunked job keeps its finished chunks when it fails or is interrupted, so the next attempt resumes.
  let keepWork = false;
  let ended: JobStatus = 'done';
  try {
    const unfinished = await runOnce(steps, job, run, attempt, { tempPath, workDir }, () => (keepWork = true));
    if (unfinished) ended = await endUnfinished(job, run, attempt, tempPath, unfinished, steps.finish);
  } finally {
    try {
      // Kept only when it holds a finished chunk: a folder with none saves the retry nothing.
      if (!keepWork || ended === 'done' || ended === 'cancelled' || !holdsFinishedUnits(workDir)) rmSync(workDir, { recursive: true, force: true });
    } catch (e) {
      steps.finish.logError?.(`job ${job.id}: its work folder ${workDir} could not be removed`, e);
    }
  }
}
