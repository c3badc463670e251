/** Why a local snapshot was taken. */
export type SnapshotReason = 'scheduled' | 'manual' | 'pre-migration' | 'pre-restore';

/** One local snapshot folder (`<dataDir>/backups/<id>/`), as its manifest describes it. */
export interface LocalSnapshot {
  id: string;
  createdAt: string;
  reason: SnapshotReason;
  /** Bytes of the database copy and the files beside it. */
  sizeBytes: number;
  /** Rows per table in the copy; equal to the source at the moment of the copy. */
  tables: Record<string, number>;
  /** PRAGMA integrity_check said ok and the row counts matched the source. */
  verified: boolean;
  /** Extra files copied beside the database (plan file, user presets). */
  files: string[];
}

/** One snapshot in the restic repository. */
export interface ResticSnapshot {
  id: string;
  shortId: string;
  time: string;
  /** The local snapshot id it was made from, when its tags say so. */
  localId: string | null;
}

export interface BackupList {
  local: LocalSnapshot[];
  restic: ResticSnapshot[];
  /** Why the restic list is empty when a repository is configured (wrong password, unreachable). */
  resticProblem: string | null;
}

export interface ResticSettings {
  /** A path or URL restic understands (/mnt/usb/repo, sftp:host:/repo, rest:http://…, s3:…); null = off. */
  repository: string | null;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  /** Run `restic check` at most this often (days). */
  checkEveryDays: number;
}

export interface BackupSettingsData {
  enabled: boolean;
  /** Hours between automatic snapshots. */
  intervalHours: number;
  /** Local generations kept. */
  keep: number;
  restic: ResticSettings;
}

export interface BackupSettingsView extends BackupSettingsData {
  /** Whether a restic password is stored (keychain) or given in RESTIC_PASSWORD; the value never leaves main. */
  resticPasswordSet: boolean;
  /** Set when the repository changed since the password was entered: it was cleared, enter it for the new one. */
  resticPasswordNote: string | null;
  snapshotDir: string;
}

export type BackupPhase = 'idle' | 'snapshot' | 'verify' | 'restic-backup' | 'restic-forget' | 'restic-check';

export interface BackupRunResult {
  ok: boolean;
  at: string;
  snapshot: LocalSnapshot | null;
  /** The restic snapshot id and the bytes restic uploaded, when an off-machine copy was made. */
  restic: { snapshotId: string; dataAdded: number } | null;
  /** What went wrong and what to do, when ok is false. */
  error: string | null;
  durationMs: number;
}

export interface BackupStatus {
  phase: BackupPhase;
  /** 0..1 within the phase, when known. */
  progress: number | null;
  lastRun: BackupRunResult | null;
  lastCheck: { at: string; ok: boolean; message: string } | null;
  nextRunAt: string | null;
}

/** What the desktop app does when the database cannot be opened. */
export interface RestoreOutcome {
  restoredId: string;
  /** Where the previous database was moved (never overwritten); null when there was none. */
  keptAside: string | null;
  /** True when the restore waits for the next start (the running studio holds the database open). */
  pending: boolean;
}
