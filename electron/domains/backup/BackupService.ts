import { z } from 'zod';
import type {
  BackupList,
  BackupPhase,
  BackupRunResult,
  BackupSettingsData,
  BackupSettingsView,
  BackupStatus,
  LocalSnapshot,
  RestoreOutcome,
  SnapshotReason,
} from '../../../shared/dto/backup';
import { backupSettingsSchema } from '../../../shared/contract/backup';
import { ChurchError } from '../../../shared/errors';
import type { Db } from '../../platform/db';
import type { SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';
import { fetchResticSnapshot } from './fetchResticSnapshot';
import { ResticRepository } from './ResticRepository';
import { redactRepository, repositoryFromInput, ResticSecret, resticMovedNote, RESTIC_PASSWORD_SECRET } from './resticSecret';
import { passwordFromEnv, repositoryFromEnv, WHAT_TO_SET } from './resticConventions';
import { scheduleRestore } from './restoreSnapshot';
import { backupsDir, listLocalSnapshots, snapshotPath } from './snapshotFolder';
import { takeSnapshot, takeSnapshotSync } from './takeSnapshot';

export { RESTIC_PASSWORD_SECRET } from './resticSecret';
const SETTINGS_KEY = 'backup';
const STATE_KEY = 'backup.state';

export const DEFAULT_BACKUP_SETTINGS: BackupSettingsData = {
  enabled: true,
  intervalHours: 24,
  keep: 7,
  restic: { repository: null, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, checkEveryDays: 7 },
};

const stateSchema = z.object({
  lastRun: z
    .object({
      ok: z.boolean(),
      at: z.string(),
      snapshot: z.unknown().nullable(),
      restic: z.object({ snapshotId: z.string(), dataAdded: z.number() }).nullable(),
      error: z.string().nullable(),
      durationMs: z.number(),
    })
    .nullable(),
  lastCheck: z.object({ at: z.string(), ok: z.boolean(), message: z.string() }).nullable(),
});

/**
 * A restic repository and password for one call, from a front end attached to a running studio (the CLI passes
 * what restic's variables give it). Used for that call only: never stored, never logged.
 */
export interface ResticForOneCall {
  resticRepository?: string;
  resticPassword?: string;
}

export interface BackupDeps {
  db: Db;
  dbFile: string;
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  emit(status: BackupStatus): void;
  /** Sends an alert through the monitor's channels (desktop notification, e-mail, audit). */
  alert(title: string, body: string): Promise<unknown> | void;
  logError(msg: string, e: unknown): void;
  now?: () => Date;
  /** First automatic snapshot after start, when none is due earlier; default 5 min (the start itself stays quick). */
  firstRunDelayMs?: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Verified local snapshots on a schedule, copies to a restic repository, retention, checks and restores. */
export class BackupService {
  private phase: BackupPhase = 'idle';
  private progress: number | null = null;
  private running: Promise<BackupRunResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextRunAt: Date | null = null;
  private closed = false;
  private readonly initialized = new Set<string>();
  private readonly now: () => Date;
  private readonly secret: ResticSecret;

  constructor(private readonly deps: BackupDeps) {
    this.now = deps.now ?? (() => new Date());
    this.secret = new ResticSecret(deps.secrets, deps.settings);
  }

  // ---- settings ----------------------------------------------------------------------------------------------

  settingsData(): BackupSettingsData {
    return this.deps.settings.get(SETTINGS_KEY, backupSettingsSchema, DEFAULT_BACKUP_SETTINGS);
  }

  /** The restic password, if it was entered for the repository now set (an unreadable keychain counts as none). */
  private password(): string | null {
    return this.secret.read(this.settingsData().restic.repository).value;
  }

  /** The settings as shown: a password in the repository's URL never leaves main. */
  getSettings(): BackupSettingsView {
    const data = this.settingsData();
    const bound = this.secret.read(data.restic.repository);
    const repository = data.restic.repository;
    return {
      ...data,
      restic: { ...data.restic, repository: repository === null ? null : redactRepository(repository) },
      resticPasswordSet: bound.state === 'set',
      resticPasswordNote: bound.state === 'moved' && repository !== null ? resticMovedNote(repository) : null,
      snapshotDir: backupsDir(this.deps.dataDir),
    };
  }

  setSettings(patch: Partial<BackupSettingsData> & { resticPassword?: string }): BackupSettingsView {
    const { resticPassword, ...rest } = patch;
    const current = this.settingsData();
    const restic = { ...current.restic, ...(rest.restic ?? {}) };
    restic.repository = repositoryFromInput(restic.repository, current.restic.repository);
    this.deps.settings.set(SETTINGS_KEY, backupSettingsSchema, { ...current, ...rest, restic });
    // Another repository without the password entered again: the one entered for the old repository is cleared.
    if (resticPassword !== undefined) this.secret.store(restic.repository, resticPassword);
    else this.secret.follow(current.restic.repository, restic.repository);
    if (this.timer) this.schedule();
    return this.getSettings();
  }

  // ---- status ------------------------------------------------------------------------------------------------

  private state(): z.infer<typeof stateSchema> {
    return this.deps.settings.get(STATE_KEY, stateSchema, { lastRun: null, lastCheck: null });
  }

  status(): BackupStatus {
    const s = this.state();
    return {
      phase: this.phase,
      progress: this.progress,
      lastRun: s.lastRun as BackupRunResult | null,
      lastCheck: s.lastCheck,
      nextRunAt: this.nextRunAt?.toISOString() ?? null,
    };
  }

  private setPhase(phase: BackupPhase, progress: number | null = null): void {
    this.phase = phase;
    this.progress = progress;
    this.deps.emit(this.status());
  }

  private lastProgressEmit = 0;
  private onProgress = (phase: BackupPhase) => (fraction: number) => {
    // At most a few events a second: a 100k-item library copies in thousands of steps.
    const t = Date.now();
    if (t - this.lastProgressEmit < 200 && fraction < 1) return;
    this.lastProgressEmit = t;
    this.setPhase(phase, Math.max(0, Math.min(1, fraction)));
  };

  // ---- repository --------------------------------------------------------------------------------------------

  /**
   * The repository: the one in Settings (with the password entered for it), else the one restic's own variables
   * name (resticConventions.ts), else one named for this call alone. Null when none is named anywhere; throws when
   * one is named without a password.
   */
  repository(oneCall: ResticForOneCall = {}, signal?: AbortSignal): ResticRepository | null {
    const env = this.deps.env;
    const fromSettings = this.settingsData().restic.repository;
    const forCall = oneCall.resticPassword ? { value: oneCall.resticPassword } : null;
    if (fromSettings) {
      const bound = this.secret.read(fromSettings);
      if (bound.state === 'moved') throw new ChurchError('UNAVAILABLE', resticMovedNote(fromSettings), { secret: 'moved' });
      const password = bound.value !== null ? { value: bound.value } : (forCall ?? passwordFromEnv(env, null));
      if (!password) throw new ChurchError('UNAVAILABLE', `a restic repository is set but no password; enter it in Settings → Backups → Restic password or with "church config set-secret backup.restic.password" (a studio without a window also reads RESTIC_PASSWORD, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND)`);
      return new ResticRepository({ repository: fromSettings, password, env, signal });
    }
    if (oneCall.resticRepository) {
      // A password the studio holds never goes to a repository a caller names: that one comes with its own.
      if (!forCall) throw new ChurchError('INVALID_INPUT', 'a restic repository named for one call needs its password with it');
      return new ResticRepository({ repository: oneCall.resticRepository, password: forCall, env, signal });
    }
    const fromEnv = repositoryFromEnv(env);
    if (!fromEnv) return null;
    const password = forCall ?? passwordFromEnv(env, this.passwordFromEnvironment());
    if (!password) throw new ChurchError('UNAVAILABLE', `RESTIC_REPOSITORY names ${redactRepository(fromEnv)} but no password is given: set RESTIC_PASSWORD, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND as for restic itself`);
    return new ResticRepository({ repository: fromEnv, password, env, signal });
  }

  /** RESTIC_PASSWORD: a studio without a window keeps it in its secret store (out of its environment), the window in its environment. */
  private passwordFromEnvironment(): string | null {
    if (this.deps.secrets.kind !== 'environment') return this.deps.env.RESTIC_PASSWORD ?? null;
    try {
      return this.deps.secrets.get(RESTIC_PASSWORD_SECRET);
    } catch {
      return null;
    }
  }

  // ---- backups -----------------------------------------------------------------------------------------------

  /** One backup: a verified local snapshot, then (when configured and asked) the restic copy and retention. */
  run(opts: { restic?: boolean; reason?: SnapshotReason; resticRequired?: boolean } & ResticForOneCall = {}): Promise<BackupRunResult> {
    if (this.running) throw new ChurchError('CONFLICT', 'a backup is already running; wait for it to finish (Settings → Backups shows its progress)');
    // Asked for restic by name (church backup --restic) with none named anywhere: say so before any work.
    if (opts.resticRequired && !this.repository(opts)) throw new ChurchError('UNAVAILABLE', `no restic repository is set: ${WHAT_TO_SET}`);
    this.running = this.runOnce(opts.restic ?? true, opts.reason ?? 'manual', opts).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(withRestic: boolean, reason: SnapshotReason, oneCall: ResticForOneCall): Promise<BackupRunResult> {
    const started = performance.now();
    const at = this.now().toISOString();
    const settings = this.settingsData();
    let snapshot: LocalSnapshot | null = null;
    let restic: BackupRunResult['restic'] = null;
    let error: string | null = null;
    try {
      this.setPhase('snapshot', 0);
      snapshot = await takeSnapshot(this.deps.dbFile, { dataDir: this.deps.dataDir, reason, keep: settings.keep, now: this.now, onProgress: this.onProgress('snapshot') });
      const repo = withRestic ? this.repository(oneCall) : null;
      if (repo) {
        this.setPhase('restic-backup', 0);
        // One look per repository per run of the studio: every restic command pays for its key derivation.
        const repoKey = repo.location;
        if (!this.initialized.has(repoKey)) {
          await repo.ensureInitialized();
          this.initialized.add(repoKey);
        }
        restic = await repo.backup(snapshotPath(this.deps.dataDir, snapshot.id), snapshot.id, new Date(snapshot.createdAt), this.onProgress('restic-backup'));
        this.setPhase('restic-forget');
        await repo.forget(settings.restic);
      }
    } catch (e) {
      error = message(e);
    }
    const result: BackupRunResult = { ok: error === null, at, snapshot, restic, error, durationMs: Math.round(performance.now() - started) };
    this.deps.settings.set(STATE_KEY, stateSchema, { ...this.state(), lastRun: result });
    this.setPhase('idle');
    if (error) {
      const what = snapshot ? `The local snapshot ${snapshot.id} was written, but the off-machine copy failed: ${error}` : `No snapshot was written: ${error}`;
      try {
        await this.deps.alert('Backup failed', what);
      } catch (e) {
        this.deps.logError('the backup alert could not be sent', e);
      }
    }
    return result;
  }

  /** `restic check` of the configured repository; the result is kept for Settings → Backups. */
  async check(): Promise<{ ok: boolean; message: string }> {
    const repo = this.repository();
    if (!repo) throw new ChurchError('UNAVAILABLE', `no restic repository is configured: ${WHAT_TO_SET}`);
    this.setPhase('restic-check');
    let result: { ok: boolean; message: string };
    try {
      result = { ok: true, message: await repo.check() };
    } catch (e) {
      result = { ok: false, message: message(e) };
      try {
        await this.deps.alert('Backup check failed', `restic check of ${redactRepository(this.settingsData().restic.repository ?? '')} failed: ${result.message}`);
      } catch (err) {
        this.deps.logError('the backup alert could not be sent', err);
      }
    } finally {
      this.setPhase('idle');
    }
    this.deps.settings.set(STATE_KEY, stateSchema, { ...this.state(), lastCheck: { at: this.now().toISOString(), ...result } });
    return result;
  }

  /** Synchronous snapshot before a schema migration changes an existing database. */
  snapshotBeforeMigration(): LocalSnapshot {
    return takeSnapshotSync(this.deps.db, { dataDir: this.deps.dataDir, reason: 'pre-migration', keep: Math.max(this.settingsData().keep, 1), now: this.now });
  }

  async list(oneCall: ResticForOneCall = {}): Promise<BackupList> {
    const local = listLocalSnapshots(this.deps.dataDir);
    let repo: ResticRepository | null;
    try {
      repo = this.repository(oneCall);
    } catch (e) {
      return { local, restic: [], resticProblem: message(e) };
    }
    if (!repo) return { local, restic: [], resticProblem: null };
    try {
      return { local, restic: await repo.snapshots(), resticProblem: null };
    } catch (e) {
      return { local, restic: [], resticProblem: message(e) };
    }
  }

  /** The local snapshot to restore for `id`: a local id as it is, a restic one fetched into backups/ first. */
  async prepareRestore(id: string, oneCall: ResticForOneCall = {}): Promise<string> {
    if (listLocalSnapshots(this.deps.dataDir).some((s) => s.id === id)) return id;
    const repo = this.repository(oneCall);
    if (!repo) throw new ChurchError('NOT_FOUND', `there is no local snapshot ${id}; "church backups" lists them`);
    return fetchResticSnapshot(this.deps.dataDir, repo, id);
  }

  /**
   * Without a RecoverableStudio around the host (an in-process client) the database cannot be swapped under
   * it: the restore happens on the next start, before the database is opened.
   */
  async requestRestore(id: string, oneCall: ResticForOneCall = {}): Promise<RestoreOutcome> {
    const localId = await this.prepareRestore(id, oneCall);
    scheduleRestore(this.deps.dataDir, localId);
    return { restoredId: localId, keptAside: null, pending: true };
  }

  // ---- schedule ----------------------------------------------------------------------------------------------

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAt = null;
    const settings = this.settingsData();
    if (this.closed || !settings.enabled) return;
    const last = this.state().lastRun;
    const due = last ? new Date(last.at).getTime() + settings.intervalHours * 3600_000 : 0;
    const earliest = this.now().getTime() + (this.deps.firstRunDelayMs ?? 5 * 60_000);
    const at = Math.max(due, earliest);
    this.nextRunAt = new Date(at);
    this.timer = setTimeout(() => void this.scheduledRun(), Math.min(at - this.now().getTime(), 2 ** 31 - 1));
    this.timer.unref();
  }

  private async scheduledRun(): Promise<void> {
    try {
      if (!this.running) await this.run({ reason: 'scheduled' });
      const { lastCheck } = this.state();
      const every = this.settingsData().restic.checkEveryDays * 86_400_000;
      if ((this.settingsData().restic.repository || repositoryFromEnv(this.deps.env)) && (!lastCheck || this.now().getTime() - new Date(lastCheck.at).getTime() >= every)) await this.check();
    } catch (e) {
      this.deps.logError('the scheduled backup failed', e);
    }
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A snapshot in flight holds a read connection; let it finish so no half-written folder is left.
    await this.running?.catch(() => undefined);
  }
}
