import type { MonitorSample } from './monitor';

/** One lab agent as its last heartbeat described it. */
export interface LabAgent {
  name: string;
  /** idle · working · paused · offline (no heartbeat within the offline time). */
  state: 'idle' | 'working' | 'paused' | 'offline';
  hostname: string;
  cores: number;
  memoryBytes: number;
  freeDiskBytes: number | null;
  ffmpegVersion: string | null;
  /** Encoders that passed a test encode on that host. */
  encoders: string[];
  concurrency: number;
  paused: boolean;
  running: { studioJobId: number; bullId: string; percent: number | null }[];
  loadAverage: number[];
  startedAt: string;
  lastSeen: string;
  /** Its host's newest monitor sample (the studio's sampler, run by the agent); null before the first one. */
  sample?: MonitorSample | null;
}

export interface LabStatus {
  /** False when no lab is configured (everything runs on this machine). */
  configured: boolean;
  agents: LabAgent[];
  queue: { waiting: number; active: number };
}
