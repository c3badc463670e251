import { renameSync } from 'node:fs';
import { ChurchError } from '../../../../shared/errors';
import { ffmpegProblem } from '../ffmpegFailure';
import { startFfmpeg, type ProcessControl } from '../ffmpegProcess';
import type { ProgressSnapshot } from '../progressParser';

/**
 * One unit of a chunked job: a self-contained ffmpeg run (a chunk of video, or the audio pass) that writes one
 * file. It is the piece of work the queue hands out, here or (with the lab) to an agent that has the source.
 */
export interface ChunkUnit {
  jobId: number;
  /** File name in the job's work folder (also the key in its manifest). */
  name: string;
  kind: 'video' | 'audio';
  /** Human label for messages: "chunk 4 of 12 (from 180.0 s)". */
  label: string;
  /** ffmpeg arguments; they write partPath. */
  args: string[];
  partPath: string;
  /** Where the finished file must be when the unit succeeds. */
  path: string;
  /** Seconds of video this unit covers (0 for the audio pass, which progress does not count). */
  durationSec: number;
  /** Frames this unit must produce (video), checked after the join. */
  frames: number | null;
}

export interface UnitHooks {
  /** The process once it runs, so pause and stop can end it. */
  onStart(handle: ProcessControl): void;
  onProgress(s: ProgressSnapshot): void;
}

/** Runs one unit until its file is in place; throws (with a message for the owner) when it fails. */
export type UnitRunner = (unit: ChunkUnit, hooks: UnitHooks) => Promise<void>;

export class UnitFailed extends ChurchError {
  constructor(
    message: string,
    readonly logTail: string,
    readonly exitCode: number | null,
  ) {
    super('EXTERNAL', message);
  }
}

/** Runs units as local ffmpeg processes. */
export function localUnitRunner(ffmpeg: string, env: NodeJS.ProcessEnv, stallTimeoutMs: number): UnitRunner {
  return async (unit, hooks) => {
    const handle = startFfmpeg(ffmpeg, unit.args, { env, stallTimeoutMs, onProgress: hooks.onProgress });
    hooks.onStart(handle);
    const exit = await handle.done;
    const problem = ffmpegProblem(exit, ffmpeg, stallTimeoutMs, { unit: unit.label });
    // Not a unit's failure: no ffmpeg runs here at all, which the job's message says as for a whole job.
    if (problem?.kind === 'spawn') throw new ChurchError('UNAVAILABLE', problem.message);
    if (problem) throw new UnitFailed(problem.message, exit.logTail, exit.code);
    renameSync(unit.partPath, unit.path);
  };
}
