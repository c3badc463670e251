import { holdProcess, stoppedOutcome, type JobExecutor, type RunOutcome, type RunPort, type RunRequest } from '../executor';
import { ffmpegProblem } from '../ffmpegFailure';
import { startFfmpeg } from '../ffmpegProcess';

/** Runs a job as one ffmpeg process on this machine: takes every job (the last executor asked). */
export function localExecutor(): JobExecutor {
  return { name: 'local', accepts: () => true, run: runLocally };
}

export async function runLocally(req: RunRequest, port: RunPort): Promise<RunOutcome> {
  const kept: string[] = [];
  const handle = startFfmpeg(req.ffmpeg, req.args, {
    env: port.env,
    stallTimeoutMs: port.stallTimeoutMs,
    onProgress: (s) => port.progress(s),
    ...(req.keepStderr ? { keep: req.keepStderr, onKept: (l: string) => kept.push(l) } : {}),
  });
  holdProcess(req.run, port, handle);
  const exit = await handle.done;
  const log = { logTail: exit.logTail, exitCode: exit.code };
  if (req.run.stopReason) return stoppedOutcome(req.run, log);
  const problem = ffmpegProblem(exit, req.ffmpeg, port.stallTimeoutMs);
  if (problem) return { kind: 'failed', reason: problem.message, ...log };
  return { kind: 'done', output: req.tempPath, kept, planNote: null, ...log };
}
