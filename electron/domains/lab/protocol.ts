import type { LabAgent } from '../../../shared/dto/lab';
import type { MonitorSample } from '../../../shared/dto/monitor';
import type { SealedPayload } from './sealing';

/** Stand-ins in a lab job's ffmpeg arguments: the agent puts its own path or a signed URL there. */
export const SOURCE_TOKEN = (i: number): string => `{{church-source-${i}}}`;
export const OUTPUT_TOKEN = '{{church-output}}';

/** What the studio asks an agent to run: ffmpeg arguments a preset built, never a command of the studio's choosing. */
export interface LabJobBody {
  /** The BullMQ job this envelope was signed for: an agent refuses it under any other id (no replay as a new job). */
  bullId: string;
  /** ms since epoch: the job's own timeout (limits.ts); an agent refuses the envelope after it, a takeover included. */
  expiresAt: number;
  studioJobId: number;
  attempt: number;
  args: string[];
  /** The same encode with the software encoder, for when a hardware encoder will not open on the agent. */
  fallbackArgs: string[] | null;
  /** The hardware encoder this job asks for (its queue), null for software work. */
  encoder: string | null;
  /** Studio paths (an agent maps them onto its own mounts) and signed URLs for agents without shared storage. */
  sources: { path: string; url: string }[];
  outputUrl: string;
  /** The output's extension (the agent writes to its own temp file before uploading it). */
  outExt: string;
  durationSec: number | null;
}

/** A job in BullMQ: the studio's signed LabJobBody, sealed (sealing.ts) so a Redis reader sees no transfer URL. */
export type LabJobData = SealedPayload;

/** A progress report, signed by the agent (its key): the studio shows the host only from a signed one. */
export interface LabJobProgress {
  bullId: string;
  host: string;
  outTimeSec: number | null;
  fps: number | null;
  speed: number | null;
  end: boolean;
}

/**
 * What an agent returns for a job, signed with its key: the studio registers the output only when the agent that
 * took the job signed this for this job id, and the uploaded file has this sha256 and size.
 */
export interface LabJobResult {
  bullId: string;
  host: string;
  sha256: string;
  size: number;
  logTail: string;
  fellBack: boolean;
}

/** Commands on the control channel, all signed. None names a program: the agent knows what each one means. */
export type ControlBody =
  | { type: 'cancel'; bullId: string }
  | { type: 'pause'; bullId: string }
  | { type: 'resume'; bullId: string }
  | { type: 'pause-agent'; agent: string; paused: boolean }
  | { type: 'kill'; runId: string; dryRun: boolean; reason: string };

/**
 * What an agent writes about itself every heartbeat, signed with its key (under agentKey(name), expiring after
 * ANNOUNCE_TTL_MS): the studio's view of it (shared/dto/lab.ts) less the state and trust it derives.
 */
export interface AgentAnnouncement extends Omit<LabAgent, 'state' | 'sample' | 'untrusted'> {
  pid: number;
}

export const AGENT_STALE_MS_DEFAULT = 15_000;
/** An announcement's lifetime in Redis: its remaining TTL tells its age by Redis's clock (to tell skew from silence). */
export const ANNOUNCE_TTL_MS = 7 * 24 * 3600_000;
/** An agent whose clock is further than this from the studio's is untrusted: its control messages would be refused as stale. */
export const MAX_CLOCK_SKEW_MS = 10_000;

/** One monitor sample of an agent's host (the studio's own sampler, run on the agent), on SAMPLES_CHANNEL. */
export interface SampleBody {
  host: string;
  sample: MonitorSample;
}

/** A sample message older than this is stale (agents publish every couple of seconds). */
export const SAMPLE_MAX_AGE_MS = 30_000;

/**
 * Why an agent failed a job, as the first word of its failure reason (BullMQ carries only a string): the studio
 * words the job's message from it, so a killed ffmpeg or a failed upload is never read as a bad source.
 * killed: ffmpeg ended by a signal nobody sent on purpose (detail: the signal); upload: the output could not be
 * handed back. Untagged reasons (older agents, refusals) are shown as they are.
 */
export type LabFailureKind = 'killed' | 'upload';

export function tagFailure(kind: LabFailureKind, detail: string, message: string): string {
  return `[${kind}${detail ? `:${detail}` : ''}] ${message}`;
}

export function readFailure(reason: string): { kind: LabFailureKind | null; detail: string; message: string } {
  const m = /^\[(killed|upload)(?::([\w-]+))?\] ([\s\S]*)$/.exec(reason);
  if (!m) return { kind: null, detail: '', message: reason };
  return { kind: m[1] as LabFailureKind, detail: m[2] ?? '', message: m[3]! };
}
