import type { PresetKind } from '../../../shared/dto/jobs';
import { exitFailedMessage, holdProcess, killedMessage, stoppedOutcome, type RunOutcome, type RunPort, type RunRequest } from '../jobs';
import { uploadCapBytes } from './limits';
import type { LabRunEnd, LabStarter } from './labRun';

/** The kinds the lab runs (one output file): the rest stay on this machine. */
export const LAB_KINDS: ReadonlySet<PresetKind> = new Set(['web', 'audio', 'thumbnail']);

/** Whether a prepared run can go to the lab: a kind it runs, and nothing the agent could not hand back. */
export function labAccepts(req: RunRequest): boolean {
  return LAB_KINDS.has(req.job.kind) && req.portable;
}

/** A lab encode's end as the job's outcome, worded as a local ffmpeg's (the messages owners have always read). */
export function outcomeOfLabEnd(end: LabRunEnd, output: string): RunOutcome {
  switch (end.kind) {
    case 'done':
      return { kind: 'done', output, kept: [], planNote: null, logTail: end.logTail, exitCode: 0 };
    case 'failed':
      // The lab's reason stands where ffmpeg's error line would.
      return { kind: 'failed', reason: exitFailedMessage(1, `error: ${end.reason}`.slice(0, 300)), logTail: end.logTail, exitCode: 1 };
    case 'stopped':
    case 'killed':
      return { kind: 'failed', reason: killedMessage(end.signal), logTail: end.logTail, exitCode: null };
    case 'notStored':
      return { kind: 'failed', reason: notStoredMessage(end.reason), logTail: end.logTail, exitCode: null };
  }
}

/** The encode ran; its output did not land in the output folder. */
function notStoredMessage(reason: string): string {
  return `the output could not be stored: ${reason.trim().replace(/\.$/, '')}`;
}

/**
 * An output the output folder's disk had no room for: held for space like a job the disk guard held before it
 * started (the guard checks again before it runs), unless the owner asked such jobs to fail.
 */
function heldForSpace(end: Extract<LabRunEnd, { kind: 'notStored' }>, req: RunRequest): RunOutcome | null {
  if (!end.space || req.noSpace === 'fail') return null;
  return { kind: 'waitingForSpace', decision: { ok: false, neededBytes: end.space.neededBytes, freeBytes: end.space.freeBytes, path: req.job.outDir, message: notStoredMessage(end.reason) } };
}

/**
 * Runs a whole job on a lab agent: the handle is held on the run as a local ffmpeg's (pause, stop), and the
 * output lands at the job's temp path, checked and registered by the engine as any other.
 */
export async function runOnLab(lab: LabStarter, req: RunRequest, port: RunPort): Promise<RunOutcome> {
  const handle = lab.start({
    jobId: req.job.id,
    attempt: req.attempt,
    kind: req.job.kind,
    args: req.args,
    sourcePaths: req.sources.map((s) => s.path),
    tempPath: req.tempPath,
    durationSec: req.durationSec,
    maxOutputBytes: req.outputEstimateBytes ? uploadCapBytes(req.outputEstimateBytes, 0) : null,
    onProgress: (s, host) => port.progress(s, host),
  });
  holdProcess(req.run, port, handle);
  const end = await handle.done;
  // The agent is done with it (uploaded, or failed): it takes its next job while this one is checked.
  port.encodeDone();
  // The next job goes out first: the check spawns ffprobe, and a spawn blocks this process for a fork.
  await new Promise((resolve) => setImmediate(resolve));
  const exitCode = end.kind === 'done' ? 0 : end.kind === 'failed' ? 1 : null;
  if (req.run.stopReason) return stoppedOutcome(req.run, { logTail: end.logTail, exitCode });
  return (end.kind === 'notStored' ? heldForSpace(end, req) : null) ?? outcomeOfLabEnd(end, req.tempPath);
}
