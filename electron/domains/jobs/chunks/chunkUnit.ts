import { renameSync } from 'node:fs';
import { ChurchError } from '../../../../shared/errors';
import { startFfmpeg, type FfmpegHandle } from '../ffmpegProcess';
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
  onStart(handle: FfmpegHandle): void;
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

/** The first useful line of ffmpeg's log. */
function reasonOf(logTail: string): string {
  const lines = logTail.split('\n').map((l) => l.trim()).filter(Boolean);
  return ([...lines].reverse().find((l) => /error|invalid|no such|not found|failed|cannot|unable/i.test(l)) ?? lines.at(-1) ?? 'no log').slice(0, 300);
}

/** Runs units as local ffmpeg processes. */
export function localUnitRunner(ffmpeg: string, env: NodeJS.ProcessEnv, stallTimeoutMs: number): UnitRunner {
  return async (unit, hooks) => {
    const handle = startFfmpeg(ffmpeg, unit.args, { env, stallTimeoutMs, onProgress: hooks.onProgress });
    hooks.onStart(handle);
    const exit = await handle.done;
    if (exit.spawnError) throw new ChurchError('UNAVAILABLE', `ffmpeg at ${ffmpeg} could not start (${exit.spawnError}); reinstall ffmpeg or set FFMPEG_PATH`);
    if (exit.stalled) throw new UnitFailed(`${unit.label}: ffmpeg made no progress for ${Math.round(stallTimeoutMs / 1000)} s and was stopped; check that the source is readable, then retry (finished chunks are kept)`, exit.logTail, exit.code);
    if (exit.code !== 0) {
      throw new UnitFailed(exit.signal
        ? `${unit.label}: ffmpeg was killed (${exit.signal}) by something outside the studio; retry the job (finished chunks are kept)`
        : `${unit.label}: ffmpeg failed (exit ${exit.code}): ${reasonOf(exit.logTail)}; check the source and the preset, then retry (finished chunks are kept)`, exit.logTail, exit.code);
    }
    renameSync(unit.partPath, unit.path);
  };
}
