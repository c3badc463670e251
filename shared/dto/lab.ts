import type { MonitorSample } from './monitor';

/** One lab agent as its last heartbeat described it. */
export interface LabAgent {
  name: string;
  /**
   * idle · working · paused · offline (no heartbeat within the offline time) · untrusted (its heartbeat does not
   * carry its key's signature, or its clock is off: never given work, its output never registered; see `untrusted`).
   */
  state: 'idle' | 'working' | 'paused' | 'offline' | 'untrusted';
  /** Why the studio cannot trust it (state `untrusted`), else null. */
  untrusted?: LabAgentDistrust | null;
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

export interface LabAgentDistrust {
  /** wrong-secret: signed with another lab secret · unsigned: no signature (an old agent, or not an agent) · clock-skew. */
  reason: 'wrong-secret' | 'unsigned' | 'clock-skew';
  /** What happened and what to do, for a person. */
  detail: string;
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

/** The lab as Settings keep it (the Redis password lives in the secret store, never here). */
export interface LabSettings {
  enabled: boolean;
  /** redis://host:6379[/db] without user or password. */
  redisUrl: string;
  /** The Redis ACL user; empty for the default user. */
  user: string;
  tls: boolean;
  /** A CA certificate (PEM) to trust for the Redis TLS connection; empty: the system's CAs. */
  caFile: string;
  secretFile: string;
  /** node_exporter URLs, e.g. http://nas.lan:9100/metrics. */
  targets: string[];
  scrapeIntervalSec: number;
  scrapeTimeoutSec: number;
  /** Seconds without a heartbeat before an agent counts as offline and raises "host offline". */
  offlineSec: number;
}

export interface LabSettingsView {
  settings: LabSettings;
  passwordSet: boolean;
  /** Set when the Redis URL changed since the password was entered: it was cleared, enter it for the new server. */
  passwordNote: string | null;
  /** Where the running studio's lab comes from: the environment / --lab options win over Settings. */
  source: 'environment' | 'settings' | 'off';
  /** The Redis the running studio uses, password hidden; null when the lab is off. */
  activeUrl: string | null;
  /** The saved Redis settings differ from what the running studio uses: they apply at the next start, or now with lab.apply. */
  restartNeeded: boolean;
  /** Why the lab in Settings could not be used at start (the studio then runs on its own). */
  problem: string | null;
}
