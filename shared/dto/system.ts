export interface BinaryInfo {
  /** Where the binary was found, and by which rule. */
  path: string | null;
  source: 'env' | 'static-package' | 'path' | 'missing';
  version: string | null;
  /** Why it is unusable, when it is. */
  problem?: string;
}

export interface DoctorReport {
  app: { name: string; version: string };
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  dataDir: string;
  sqlite: { version: string; journalMode: string; path: string };
  ffmpeg: BinaryInfo & {
    /** Compiled in (ffmpeg -encoders); hardwareEncoders are the compiled-in hardware ones. */
    encoders: string[];
    hardwareEncoders: string[];
    /** Passed a tiny test encode on this machine (hardware ones included); cached per ffmpeg binary and version. */
    usableEncoders: string[];
    /** Tested and failed, with ffmpeg's reason (hardware that is not there, a driver missing). */
    unusableEncoders: { name: string; reason: string }[];
  };
  ffprobe: BinaryInfo;
  /** What works but should be fixed (ffmpeg and ffprobe of different releases), each saying how. */
  warnings?: string[];
  schema: Record<string, number>;
}

export interface PingReply {
  pong: true;
  at: string;
  echo: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  input: string;
  ok: boolean;
  errorCode: string | null;
  durationMs: number;
}

/** Settings › Audit: the audit log also written as JSON lines for a log shipper (docs/security.md). */
export interface AuditFileSettingsDto {
  path: string | null;
  maxBytes: number;
  keep: number;
}

/** UI preferences, stored in main so Electron and browser mode share them. */
export interface Preferences {
  theme: 'dark' | 'light' | 'system';
  /** Library grid density. */
  density: 'comfortable' | 'compact';
  reduceMotion: boolean;
}

/** What a typed path could go on to (`system.completePath`): its folder and the matching entries in it. */
export interface PathCompletion {
  dir: string;
  entries: { name: string; path: string; folder: boolean }[];
}
