import type { DieWithParent } from '../../../platform/process/parentDeath';
import type { Redis } from 'ioredis';
import type { FfmpegHandle } from '../../jobs';
import type { LabConfig } from '../config';
import type { SourceProxy } from './sourceProxy';
import type { AgentCredential } from '../identity';

export interface PathMapping {
  /** The studio's path prefix (as the studio names its files). */
  from: string;
  /** The same folder as mounted on this agent. */
  to: string;
}

export interface AgentOptions {
  lab: LabConfig;
  name: string;
  concurrency: number;
  /** Holds the encoder test cache and the temp outputs before upload. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  pathMap: PathMapping[];
  /** BullMQ lock: a job whose agent stops renewing it for this long is taken over by another agent. */
  stallMs: number;
  heartbeatMs: number;
  /** How often this host's monitor sample is published (the studio's sampler, run here). */
  sampleMs: number;
  log(line: string): void;
}

export interface RunningAgent {
  readonly name: string;
  readonly encoders: string[];
  close(): Promise<void>;
}

/** An encode this agent runs now. */
export interface ActiveJob {
  studioJobId: number;
  handle: FfmpegHandle | null;
  cancelled: boolean;
  stopReason?: string;
  percent: number | null;
}

/** What the agent's parts share while it runs: its connection, its ffmpeg, and the jobs and switches of the moment. */
export interface AgentContext {
  opts: AgentOptions;
  /** This agent's keys: signs what it says, opens and checks what the studio sends. */
  cred: AgentCredential;
  conn: Redis;
  ffmpegPath: string;
  /** How ffmpeg is started so that it dies with this agent (see platform/process/parentDeath.ts). */
  dieWithParent: DieWithParent;
  workRoot: string;
  active: Map<string, ActiveJob>;
  /** Loopback names for the studio's signed source URLs, so ffmpeg's command line shows none. */
  sources: SourceProxy;
  /** Paused by the owner (the Lab view) or by a kill; `killed` until the owner resumes it. */
  paused: boolean;
  killed: boolean;
  /** Publishes this host's announcement (the heartbeat, and at once after a change). */
  announce(): Promise<void>;
  /** This agent cannot verify the studio's messages: it takes no work until the studio's key matches its own. */
  secretDiffers: boolean;
  /** Called when a message of the studio does not open or verify here: stop taking work, say so once. */
  noteSecretDiffers(why: string): void;
}
