/** Shapes of the job engine that cross the boundary (UI, CLI, MCP). */

export type JobStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'];

/** What a preset produces; the library registers derived outputs with the matching kind. */
export type PresetKind = 'web' | 'hls' | 'ladder' | 'audio' | 'thumbnail' | 'sprite' | 'concat' | 'watermark' | 'avatar';

/** The kinds whose encode can be split into chunks (one H.264 stream per source); the ladder stays one piece. */
export const CHUNKABLE_KINDS: readonly PresetKind[] = ['web', 'hls', 'watermark', 'avatar'];
/** chunkSeconds null (automatic): sources longer than this are chunked… */
export const AUTO_CHUNK_ABOVE_SEC = 600;
/** …into pieces of about this many seconds. */
export const AUTO_CHUNK_SEC = 60;

/** A chunked job's pieces: finished (including those kept from an earlier attempt), encoding now, and in all. */
export interface ChunkProgress {
  done: number;
  running: number;
  total: number;
}

/** Live figures parsed from ffmpeg's `-progress pipe:1`. Null when ffmpeg has not reported them (yet). */
export interface JobProgress {
  jobId: number;
  /** 0..100, null when the duration is unknown. */
  percent: number | null;
  fps: number | null;
  /** Encoding speed as a multiple of real time (2 = twice as fast as playback). */
  speed: number | null;
  /** Seconds left, estimated from speed (or from elapsed time and percent). */
  etaSec: number | null;
  /** Position reached in the output, seconds. */
  outTimeSec: number | null;
  /** The lab agent running it (absent when it runs in the studio's own process). */
  host?: string;
  /** Present for a chunked encode: how many of its video chunks are done. */
  chunks?: ChunkProgress;
}

export interface Job {
  id: number;
  /** The library video this job works on (the first input); null for a job on a plain file (tests, CLI). */
  videoId: number | null;
  /** Further library videos (concat). */
  extraVideoIds: number[];
  preset: string;
  kind: PresetKind;
  status: JobStatus;
  /** Higher runs first; equal priorities run in the owner's order (position), then in the order they were queued. */
  priority: number;
  /** The owner's order within a priority (jobs.move); lower starts first. */
  position: number;
  /** The preset's parameters after the job's overrides were merged and validated. */
  params: Record<string, unknown>;
  /** Where the finished output lands (a file, or a folder for HLS/ladder/sprite). */
  outputPath: string;
  /** ffmpeg's arguments of the last run (empty until the job started). */
  args: string[];
  /** What the engine decided, in a few words (e.g. "remux: the source is already web-ready"). */
  plan: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  /** Why it failed / was cancelled / was interrupted, written for a person. */
  error: string | null;
  /** The last lines of ffmpeg's log (stderr). */
  logTail: string;
  attempts: number;
  /** Size of the finished output in bytes (a folder's total for HLS, ladder, sprite); null until it is done. */
  outputBytes: number | null;
  /** Ids of the library's derived outputs registered for this job. */
  outputIds: number[];
  /** Last progress seen (only while running, and the final one when done). */
  progress: JobProgress | null;
  /** Who queued it: the owner's window (ui), browser page (web), shell (cli), or a local LLM agent (mcp); null when unknown. */
  queuedBy: string | null;
  /** The lab agent that ran (or runs) its latest attempt; absent when it ran in the studio itself. */
  host?: string;
  /** Set while a queued job waits for disk space (needed vs free, which disk); absent otherwise. */
  waiting?: JobWaiting;
  /** The job's own answer to a full disk (church transcode --if-no-space); absent: the engine's setting. */
  noSpace?: NoSpaceMode;
  /** Set while the owner holds this one job (jobs.pauseJob): it stays suspended when the queue resumes. */
  held?: true;
}

export interface QueueState {
  paused: boolean;
  concurrency: number;
  running: number;
  queued: number;
}

export interface JobList {
  jobs: Job[];
  queue: QueueState;
}

export interface PresetInfo {
  name: string;
  kind: PresetKind;
  description: string;
  /** 'built-in' presets ship with the app; 'user' ones are JSON files in the data dir's presets folder. */
  source: 'built-in' | 'user';
  /** The JSON file it was read from (copy it to make your own). */
  file: string;
  params: Record<string, unknown>;
  /** The kind's parameters as a form: generated from the kind's schema (chunkSeconds and lists excluded). */
  fields: PresetField[];
}

/**
 * One parameter of a preset kind, described for a form: `label` is how the UI names it (validation messages use
 * it), `value` the preset's own value (or the kind's default; undefined when there is none, e.g. the watermark image).
 */
export type PresetField = {
  key: string;
  label: string;
  help: string;
  /** The job cannot run without a value (the preset does not set one and the kind has no default). */
  required: boolean;
  /** Empty is allowed and means "automatic" / "none" (sent as null). */
  nullable: boolean;
  value: unknown;
  /** Needed only while another field has this value (the avatar's overlay file, when its source is "file"). */
  requiredWhen?: { key: string; value: string };
} & (
  | { type: 'file' }
  | { type: 'number'; integer: boolean; min: number | null; max: number | null; unit: string }
  | { type: 'enum'; options: string[] }
  | { type: 'boolean' }
);

export interface PresetList {
  presets: PresetInfo[];
  /** Presets that could not be loaded, with the reason (a user file with a typo must not hide the others). */
  problems: { file: string; message: string }[];
  /** Where user presets go. */
  userDir: string;
}

export type RecoveryMode = 'requeue' | 'leave';

/** A job whose output disk has too little room: waits in the queue (and starts when there is room) or fails. */
export type NoSpaceMode = 'wait' | 'fail';

/** Why a queued job is not starting: its output needs more room than its disk has. */
export interface JobWaiting {
  reason: string;
  neededBytes: number;
  freeBytes: number;
  /** The output folder whose disk is too full. */
  path: string;
  /** The disk holding it (Linux mount table), null where it cannot be told. */
  disk: { mount: string; device: string } | null;
  /** When the engine looks again (ms since epoch); sooner when another job ends. */
  recheckAt: number;
}

export interface JobEngineSettings {
  /** How many ffmpeg jobs run at once. */
  concurrency: number;
  /** What happens at start to jobs a crash cut off: re-queued, or left 'interrupted' for the owner. */
  recovery: RecoveryMode;
  /** What a job does when its output disk is too full: wait in the queue (default) or fail at once. */
  noSpace: NoSpaceMode;
  /** The default concurrency derived from this machine's cores, for the UI to show. */
  defaultConcurrency: number;
}
