import { existsSync, rmSync } from 'node:fs';
import type { RecoveryMode } from '../../../shared/dto/jobs';
import type { StoredJob } from './JobStore';
import { hasManifest, removePartialUnits } from './chunks/chunkWorkDir';
import { signalProcessesWritingUnder } from '../../platform/process';
import { isOurFfmpeg, removeTempOutputs } from './recovery';
import type { JobStore } from './JobStore';
import { CLOSED_REASON, nowIso } from './runState';

/** Kills a leftover ffmpeg of ours and removes what a cut-off run left behind (never a registered output). */
function cleanUpAfterCrash(j: StoredJob): void {
  if (j.pid && j.tempPath && isOurFfmpeg(j.pid, j.tempPath)) {
    try {
      process.kill(j.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  // A chunked run's unit processes outlive a killed engine (their parent is gone, they are not): they must not
  // write chunk files while the next attempt runs.
  if (j.workDir) signalProcessesWritingUnder(j.workDir);
  removeTempOutputs(j.outDir, j.id, j.tempPath);
  if (j.renamedTo && existsSync(j.renamedTo)) rmSync(j.renamedTo, { recursive: true, force: true });
  // Finished chunks (a manifest says which) are what the next attempt resumes from; half-written ones go.
  if (j.workDir && hasManifest(j.workDir)) removePartialUnits(j.workDir);
  else if (j.workDir) rmSync(j.workDir, { recursive: true, force: true });
}

/** What recovery needs from the engine: the jobs, and telling the views a job changed. */
export interface RecoveryDeps {
  store: JobStore;
  changed(j: StoredJob): void;
  logError?: (msg: string, e: unknown) => void;
}

/**
 * Jobs a crash cut off: their leftover ffmpeg (if it still runs) is killed, their temp output and an
 * unregistered renamed output are removed, and they become 'interrupted', then 'queued' again unless the
 * owner chose to decide by hand. Registration and 'done' commit together, so nothing is registered twice.
 */
export function recoverJobs(deps: RecoveryDeps, mode: RecoveryMode): { interrupted: number; requeued: number } {
  const { store } = deps;
  let interrupted = 0;
  let requeued = 0;
  // Jobs close() stopped are already 'interrupted' (their partial output removed by the run itself): in
  // 'requeue' mode they are queued again like crashed ones; in 'leave' mode they simply stay as they are. A job
  // left interrupted by a crash under 'leave' keeps its owner's decision (its error is not CLOSED_REASON).
  const closed = mode === 'requeue' ? store.withStatus('interrupted').filter((j) => j.error === CLOSED_REASON) : [];
  for (const j of [...store.withStatus('running', 'paused'), ...closed]) {
    // One bad job (its folder became a file, a disk went away) must not stop the studio from starting.
    try {
      cleanUpAfterCrash(j);
    } catch (e) {
      deps.logError?.(`recovery of job ${j.id} could not clean up everything`, e);
    }
    try {
      let row = j.status === 'interrupted' ? j : store.transition(j.id, 'interrupted', {
        finishedAt: nowIso(),
        error: 'the studio stopped while this job was running (crash or power loss); its partial output was removed',
        pid: null,
        tempPath: null,
        renamedTo: null,
        progress: null,
      });
      interrupted++;
      if (mode === 'requeue') {
        row = store.transition(j.id, 'queued', { startedAt: null, finishedAt: null });
        requeued++;
      }
      deps.changed(row);
    } catch (e) {
      deps.logError?.(`recovery could not mark job ${j.id}`, e);
    }
  }
  return { interrupted, requeued };
}
