import type { PresetKind } from '../../../shared/dto/jobs';
import type { FfmpegHandle } from './ffmpegProcess';
import type { ProgressSnapshot } from './progressParser';
import type { UnitRunner } from './chunks/chunkUnit';

/**
 * Where a job's ffmpeg runs when not here: the lab (services/lab) implements this, so the engine keeps one model
 * of a job. The handle behaves as a local ffmpeg's: done resolves when the output has landed at tempPath, and
 * the engine checks, renames and registers it exactly as it does a local one.
 */
export interface RemoteRunRequest {
  jobId: number;
  attempt: number;
  /** Set for one unit of a chunked job: tells its lab job apart from the job's other units and earlier runs. */
  unit?: string;
  kind: PresetKind;
  args: readonly string[];
  /** The source files as the args name them (ffmpeg's file: URLs are matched too). */
  sourcePaths: readonly string[];
  tempPath: string;
  durationSec: number | null;
  /** host: the agent running it (sent with its first report, before ffmpeg has said anything). */
  onProgress(s: ProgressSnapshot, host: string): void;
}

export interface RemoteRunner {
  /** Whether this job can run elsewhere: one output file, no work files beside it, nothing read back from stderr. */
  accepts(kind: PresetKind): boolean;
  start(req: RemoteRunRequest): FfmpegHandle;
  /** How many jobs the lab can run at once now (its agents' concurrency); null to use the local setting. */
  capacity(): number | null;
  /** A runner for a chunked job's units on the lab (local: for the units the lab cannot take). */
  chunkRunner?(kind: PresetKind, local: UnitRunner): UnitRunner;
  close(): Promise<void>;
}
