import type { EventName, EventPayload } from '../../../shared/contract';
import type { NoSpaceMode } from '../../../shared/dto/jobs';
import type { OutputKind } from '../../../shared/dto/library';
import type { ProbeResult } from '../../../shared/dto/probe';
import type { Db } from '../../platform/db';
import type { SettingsStore } from '../../platform/settings';
import type { RemoteExecutor } from './executor';
import type { UnitRunner } from './chunks/chunkUnit';

/** What the engine needs from the library: a video's file and probe, and a place to register outputs. */
export interface JobLibrary {
  getVideo(id: number): { path: string; probe: ProbeResult | null } | null;
  registerOutput(o: { videoId: number; jobId: number | null; preset: string; kind: OutputKind; path: string; sizeBytes: number }): { id: number };
}

export interface CueOverlayRenderer {
  /** The stored cue track: enqueue only checks that it has cues (rendering the PNGs is the job's work). */
  getTrack(videoId: number): { cues: readonly unknown[] };
  renderCueOverlay(videoId: number, opts: { width: number; height: number; durationSec: number; workDir: string; fps?: number | null }): Promise<{ path: string; format: 'concat' } | null>;
}

export interface JobEngineOptions {
  db: Db;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  settings: SettingsStore;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  library: JobLibrary;
  avatar?: CueOverlayRenderer | null;
  logError?: (msg: string, e: unknown) => void;
  cpuCount?: number;
  /** SIGTERM → SIGKILL grace for a cancel (ffmpeg normally closes its output within milliseconds). */
  cancelGraceMs?: number;
  /** The same for close() (the studio quitting): short. The kill switch (stopAll) has none: SIGKILL at once. */
  stopGraceMs?: number;
  /** Kill a job whose ffmpeg reports nothing for this long. */
  stallTimeoutMs?: number;
  /** At most one progress event per job per this interval. */
  progressIntervalMs?: number;
  /** How often the primary engine looks for jobs queued by another process (a CLI on the same data dir). */
  pollIntervalMs?: number;
  /** A plug-in's executor (the lab's), registered from the start: jobs it accepts run there. */
  remote?: RemoteExecutor | null;
  /** How long a job waiting for disk space waits before the next look (default 30 s; sooner when a job ends). */
  spaceRecheckMs?: number;
  /** Runs one unit of a chunked job; local ffmpeg by default (the lab supplies one that runs it on an agent). */
  runChunkUnit?: UnitRunner;
}

export interface EnqueueRequest {
  videoId: number;
  preset: string;
  extraVideoIds?: number[];
  params?: Record<string, unknown>;
  priority?: number;
  outDir?: string;
  /** What this job does when its disk is too full; absent: the engine's setting. */
  noSpace?: NoSpaceMode;
}
