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
}

/** A host without an agent, read from its Prometheus node_exporter. */
export interface ScrapeTarget {
  url: string;
  /** up: the last scrape worked · down: it failed (error says why) · pending: not scraped yet. */
  state: 'up' | 'down' | 'pending';
  /** The exporter's node name (node_uname_info), else the URL's host: the host its readings are filed under. */
  host: string;
  lastScrape: string | null;
  lastSuccess: string | null;
  error: string | null;
  durationMs: number | null;
  /** The last good page's headline readings (null before the first good scrape). */
  summary: { cpuPct: number | null; memUsedPct: number | null; hottestC: number | null; load1: number | null; uptimeSec: number | null } | null;
}

export interface LabStatus {
  /** False when no lab is configured (everything runs on this machine). */
  configured: boolean;
  agents: LabAgent[];
  queue: { waiting: number; active: number };
  /** node_exporter targets from the lab settings (scraped with or without Redis). */
  targets: ScrapeTarget[];
}
