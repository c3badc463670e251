import { ChurchError } from '../../../shared/errors';
import type { JobStore, StoredJob } from './JobStore';
import type { ActiveRun } from './runState';

/**
 * Suspends (or continues) one active run and shows its job paused (or running) once its process obeyed; false when
 * nothing changed (a run still preparing has no process yet: it reads isPaused() once it is up and suspends then).
 */
export function holdRun(run: ActiveRun, hold: boolean, store: JobStore, changed: (j: StoredJob) => void): boolean {
  const [from, to] = hold ? (['running', 'paused'] as const) : (['paused', 'running'] as const);
  // Its encode is over (a lab run being registered): nothing to suspend, and it must not read 'paused'.
  if (run.encodeDone) return false;
  let obeyed: boolean;
  if (run.control) {
    if (hold) run.control.pause();
    else run.control.resume();
    obeyed = true;
  } else {
    obeyed = (hold ? run.handle?.suspend() : run.handle?.resume()) === true;
  }
  if (!obeyed || store.get(run.jobId)?.status !== from) return false;
  changed(store.transition(run.jobId, to));
  return true;
}

/** The run of a job this engine is running, for a per-job pause or resume; anything else is refused. */
export function ownRun(active: ReadonlyMap<number, ActiveRun>, store: JobStore, id: number, verb: string): ActiveRun {
  const job = store.require(id);
  const run = active.get(id);
  if (!run || (job.status !== 'running' && job.status !== 'paused')) {
    throw new ChurchError('CONFLICT', `job ${id} is ${job.status}${run || job.status !== 'running' ? '' : ' in another process'}; only a running job can be ${verb}`);
  }
  return run;
}
