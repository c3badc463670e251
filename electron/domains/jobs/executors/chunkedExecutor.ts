import type { PresetKind } from '../../../../shared/dto/jobs';
import { localUnitRunner, type UnitRunner } from '../chunks/chunkUnit';
import { runChunkedJob } from '../chunks/runChunkedJob';
import { outcomeOfError, type JobExecutor, type RunOutcome, type RunPort, type RunRequest } from '../executor';

export interface ChunkedExecutorDeps {
  /** Runs one unit instead of local ffmpeg (tests). */
  runUnit?: UnitRunner;
  /** The registered remote executor's unit runner, when it has one (the lab's agents take the units). */
  remoteUnits(kind: PresetKind, local: UnitRunner): UnitRunner | null;
}

/**
 * Runs a job that is to be split (its preset sets chunk seconds) as chunks encoded apart and joined; declines
 * (null) when the source has too few keyframes for two chunks, so it is encoded in one piece.
 */
export function chunkedExecutor(deps: ChunkedExecutorDeps): JobExecutor {
  return {
    name: 'chunked',
    accepts: (req) => req.chunkSec !== null,
    run: async (req: RunRequest, port: RunPort): Promise<RunOutcome | null> => {
      const local = localUnitRunner(req.ffmpeg, port.env, port.stallTimeoutMs);
      // With the lab on, its agents take the units (each one a queued lab job); without it they run here.
      const runUnit = deps.runUnit ?? deps.remoteUnits(req.job.kind, local) ?? local;
      try {
        const r = await runChunkedJob(req, port, runUnit);
        if (!r) return null;
        return { kind: 'done', output: req.tempPath, kept: [], planNote: r.plan, logTail: r.logTail, exitCode: r.exitCode };
      } catch (e) {
        return outcomeOfError(e, req.run);
      }
    },
  };
}
