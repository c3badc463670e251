import type { LabAgent } from '../../../shared/dto/lab';
import type { MonitorSample } from '../../../shared/dto/monitor';
import type { SignedEnvelope } from './signing';

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

export type LabJobData = SignedEnvelope<LabJobBody>;

export interface LabJobProgress {
  host: string;
  outTimeSec: number | null;
  fps: number | null;
  speed: number | null;
  end: boolean;
}

export interface LabJobResult {
  host: string;
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

/** What an agent writes about itself every heartbeat: the studio's view of it (shared/dto/lab.ts) less the state it derives. */
export interface AgentAnnouncement extends Omit<LabAgent, 'state' | 'sample'> {
  pid: number;
}

/** A signed agent → studio message is not needed for jobs: agents answer in Redis keys only the studio reads and
 * trusts for display, and what they upload is checked (probed) before it is registered. Monitor samples are signed
 * (SampleBody): they raise alerts and can trigger the kill switch, so a forged one must not. */
export const AGENT_STALE_MS_DEFAULT = 15_000;

/** One monitor sample of an agent's host (the studio's own sampler, run on the agent), on SAMPLES_CHANNEL. */
export interface SampleBody {
  host: string;
  sample: MonitorSample;
}

/** A sample message older than this is stale (agents publish every couple of seconds). */
export const SAMPLE_MAX_AGE_MS = 30_000;
