import type { PresetKind } from '../../../shared/dto/jobs';
import type { ProcessControl, ProgressSnapshot } from '../jobs';

/** One encode sent to the lab: a whole job, or one unit of a chunked job. Its output lands at tempPath. */
export interface LabRunRequest {
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
  /** The most bytes the agent may upload (the engine's estimate × a margin); null: worked out from the sources. */
  maxOutputBytes: number | null;
  /** host: the agent running it (sent with its first report, before ffmpeg has said anything). */
  onProgress(s: ProgressSnapshot, host: string): void;
}

/**
 * How a lab encode ended, typed: done (its output arrived), failed with the lab's reason, stopped by a signal
 * (a cancel, the studio closing), its ffmpeg killed on the agent by something else, or encoded but its output not
 * stored here (the output's disk refused it: noSpace, with the figures; or the upload failed). logTail is what the
 * owner reads as the job's log.
 */
export type LabRunEnd =
  | { kind: 'done'; logTail: string }
  | { kind: 'failed'; reason: string; logTail: string }
  | { kind: 'stopped'; signal: NodeJS.Signals; logTail: string }
  | { kind: 'killed'; signal: NodeJS.Signals; logTail: string }
  | { kind: 'notStored'; reason: string; space: { freeBytes: number; neededBytes: number } | null; logTail: string };

export interface LabHandle extends ProcessControl {
  /** No process here: the encode runs on an agent. */
  readonly pid: null;
  readonly done: Promise<LabRunEnd>;
}

/** What runs an encode on the lab (the LabRunner): its agents' free capacity, and starting one encode. */
export interface LabStarter {
  capacity(): number | null;
  start(req: LabRunRequest): LabHandle;
}

/** A failure the lab saw itself: its reason, and the log line that records it after what the agent logged. */
export function failedEnd(reason: string, agentLog = ''): LabRunEnd {
  return { kind: 'failed', reason, logTail: `${agentLog}error: ${reason}` };
}

export function stoppedEnd(signal: NodeJS.Signals, logTail: string): LabRunEnd {
  return { kind: 'stopped', signal, logTail };
}
