import { join } from 'node:path';
import { AuditLog } from '../platform/audit';
import { onBeforeMigration, openDatabase, type Db } from '../platform/db';
import { useSqliteBinding } from '../domains/backup/sqlite';
import { applyPendingRestore, asDatabaseProblem, DEFAULT_BACKUP_SETTINGS, describeStartFailure, newestVerifiedSnapshot, recordCleanClose, runStartCheck, takeSnapshotSync, type StartCheckReport } from '../domains/backup';
import { ChurchError } from '../../shared/errors';
import type { MonitorSample } from '../../shared/dto/monitor';
import { ensurePrivateDir } from '../platform/fs';
import type { MediaResolver } from '../platform/mediaserve';
import { EnvironmentSecretStore, takeSecretsFromEnv, type SecretStore } from '../platform/secrets';
import { SettingsStore } from '../platform/settings';
import { KillSwitch } from '../domains/killswitch';
import type { HostCore } from './hostCore';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventHub } from './EventHub';
import { systemHandlers } from './handlers/system';
import { killswitchHandlers } from './handlers/killswitch';
import { secretsHandlers } from './handlers/secrets';
import { mcpHandlers } from './handlers/mcp';
import type { Handlers } from './handlers/types';
import { acquirePrimary } from './primaryLock';
import { composeLibrary } from './composers/library';
import { composeLab } from './composers/lab';
import { recoveryHandlers } from './handlers/recovery';
import { composeJobs } from './composers/jobs';
import { composeMonitor } from './composers/monitor';
import { composeStripe } from './composers/stripe';
import { composeAvatar } from './composers/avatar';
import { composeBackup } from './composers/backup';

export interface HostOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Electron passes a safeStorage-backed store; headless modes read secrets from the environment. */
  secrets?: SecretStore;
  logError?: (msg: string, e: unknown) => void;
  /**
   * Start the engines (job scheduler, monitor sampler, …) when this process is the primary one. Default true;
   * one-shot CLI commands that only read pass false so they never start work behind the user's back.
   */
  startEngines?: boolean;
  /**
   * Check the database before using it, so damage is found at start (recovery screen) rather than by the first
   * query that reads it: `PRAGMA quick_check` after a crash, once a day or when the file changed while closed,
   * else the first page of every table (services/backup/startCheck.ts); 'full' always runs quick_check (doctor).
   * Default: when this process is the primary one and starts the engines (the app, serve, mcp); one-shot CLI
   * commands skip it to start quickly and fail on the page instead.
   */
  checkDatabase?: boolean | 'full';
  /** better-sqlite3's compiled module to load instead of the one in node_modules (Electron's own build). */
  sqliteBinding?: string;
}

export type { HostCore } from './hostCore';

/**
 * Every service, composed once. Electron, `church serve`, the CLI and `church mcp` all call createHost,
 * so they behave the same.
 */
export interface Host extends HostCore {
  library: ReturnType<typeof composeLibrary>['service'];
  jobs: ReturnType<typeof composeJobs>['service'];
  monitor: ReturnType<typeof composeMonitor>['service'];
  stripe: ReturnType<typeof composeStripe>['service'];
  avatar: ReturnType<typeof composeAvatar>['service'];
  backup: ReturnType<typeof composeBackup>['service'];
  lab: ReturnType<typeof composeLab>['service'];
  killSwitch: KillSwitch;
  /** The typed handlers behind `dispatch`, for in-process callers that have already validated input. */
  handlers: Handlers;
  dispatch: Dispatch;
  resolveMedia: MediaResolver;
  close(): Promise<void>;
}

export const SECRET_ENV_VARS = {
  'stripe-key': 'STRIPE_API_KEY',
  'smtp-password': 'CHURCH_SMTP_PASSWORD',
  'prometheus-token': 'CHURCH_PROMETHEUS_TOKEN',
  'stripe-webhook-secret': 'STRIPE_WEBHOOK_SECRET',
  'restic-password': 'RESTIC_PASSWORD',
  'lab-redis-password': 'CHURCH_LAB_REDIS_PASSWORD',
} as const;

/** The local generations setting, read raw: the pre-migration snapshot runs before the settings store exists. */
function keepSetting(db: Db): number {
  try {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'backup'").get() as { value: string } | undefined;
    const keep = row ? (JSON.parse(row.value) as { keep?: unknown }).keep : undefined;
    return typeof keep === 'number' && keep >= 1 ? keep : DEFAULT_BACKUP_SETTINGS.keep;
  } catch {
    return DEFAULT_BACKUP_SETTINGS.keep;
  }
}

/** Opens the database, first applying a restore the owner asked for and checking the file when asked to. */
function openStudioDatabase(dataDir: string, isPrimary: boolean, check: boolean | 'full', nativeBinding: string | undefined): { db: Db; startCheck: StartCheckReport | null } {
  const file = join(dataDir, 'studio.sqlite');
  // A restore chosen in the running app waits for this moment: nothing has the database open yet.
  if (isPrimary) applyPendingRestore(dataDir);
  const startCheck = check && isPrimary ? runStartCheck(dataDir, { forceFull: check === 'full' }) : null;
  let db: Db;
  try {
    db = openDatabase(file, { nativeBinding });
  } catch (e) {
    throw asDatabaseProblem(e, file) ?? e;
  }
  // Before the first migration changes an existing schema, a verified snapshot of it is taken (once per start).
  let snapshotted = false;
  onBeforeMigration(db, () => {
    if (snapshotted) return;
    snapshotted = true;
    takeSnapshotSync(db, { dataDir, reason: 'pre-migration', keep: keepSetting(db) });
  });
  return { db, startCheck };
}

export function createHost(opts: HostOptions): Host {
  const env = opts.env ?? process.env;
  const logError = opts.logError ?? ((msg: string, e: unknown) => console.error(msg, e));
  ensurePrivateDir(opts.dataDir);
  const primary = acquirePrimary(opts.dataDir);
  // Every connection the backup service opens (snapshots, checks, restores) loads the same build.
  useSqliteBinding(opts.sqliteBinding);
  let db: Db;
  let startCheck: StartCheckReport | null;
  try {
    ({ db, startCheck } = openStudioDatabase(opts.dataDir, primary.isPrimary, opts.checkDatabase ?? (primary.isPrimary && opts.startEngines !== false), opts.sqliteBinding));
  } catch (e) {
    primary.release();
    throw e;
  }
  const dbFile = join(opts.dataDir, 'studio.sqlite');
  // Whatever was composed before a failure is closed again, so a broken start leaves no timer, server or lock.
  const composed: { close?(): Promise<void> | void }[] = [];
  const track = <D extends { close?(): Promise<void> | void }>(d: D): D => {
    composed.push(d);
    return d;
  };
  try {
    const audit = new AuditLog(db);
    const events = new EventHub();
    const secrets = opts.secrets ?? new EnvironmentSecretStore(takeSecretsFromEnv(env, SECRET_ENV_VARS), SECRET_ENV_VARS);
    const settings = new SettingsStore(db);
    const core: HostCore = { dataDir: opts.dataDir, env, db, audit, events, secrets, settings, isPrimary: primary.isPrimary, startCheck, logError };

    // Domains in dependency order. The kill switch and the monitor need each other (a monitor rule may trigger
    // the kill switch; the kill switch alerts through the monitor's channels), so that edge is bound late.
    // The lab first: the jobs and the kill switch need to know whether there is one.
    // Scraped node_exporter samples go to the monitor composed below (scraping starts only after composition),
    // so those hosts get the picker, the overview, per-host rules and "host offline" like agents do.
    let ingestHostSample: ((host: string, sample: MonitorSample) => void) | null = null;
    const lab = track(composeLab(core, { sink: (host, sample) => ingestHostSample?.(host, sample) }));
    const library = track(composeLibrary(core));
    const avatar = track(composeAvatar(core, { library: library.service }));
    const jobs = track(composeJobs(core, { library: library.service, avatar: avatar.service, lab: lab.service }));
    let killSwitch: KillSwitch | null = null;
    const monitor = track(
      composeMonitor(core, {
        triggerKillSwitch: (reason) => {
          if (!killSwitch) return Promise.reject(new Error('the kill switch is not ready'));
          return killSwitch.trigger({ dryRun: false, trigger: 'monitor', reason });
        },
        pauseJobs: () => jobs.service.pause(),
        lab: lab.service,
      }),
    );
    ingestHostSample = (host, sample) => void monitor.service.ingestHostSample(host, sample);
    const stripe = track(composeStripe(core));
    const backup = track(composeBackup(core, { alert: (title, body) => monitor.service.broadcastAlert(title, body) }));
    const domains = [lab, library, avatar, jobs, monitor, stripe, backup];

    const labConfig = lab.service.resolved.config;
    killSwitch = new KillSwitch({
      db,
      recoverInterrupted: primary.isPrimary,
      audit,
      dataDir: opts.dataDir,
      env,
      stopJobs: () => jobs.service.stopAll(),
      // With a lab: its step loads the lab code only when a run (or a dry run) reaches it.
      ...(labConfig ? { stopLab: async (o: { dryRun: boolean; timeoutMs: number; reason: string | null }) => (await import('../domains/lab/labKill')).stopLab(labConfig, o) } : {}),
      // The monitor's channels: a desktop notification (a toast in browser mode), e-mail when configured, the audit log.
      sendAlert: (message) => monitor.service.broadcastAlert('Emergency kill switch triggered', message),
      onUpdate: (run) => events.emit('killswitch.progress', run),
    });

    const handlers: Handlers = {
      ...systemHandlers(core),
      ...killswitchHandlers(killSwitch),
      ...mcpHandlers(core),
      ...lab.handlers,
      ...library.handlers,
      ...jobs.handlers,
      ...monitor.handlers,
      ...stripe.handlers,
      ...avatar.handlers,
      ...backup.handlers,
      ...secretsHandlers(secrets),
      ...recoveryHandlers(),
    };

    const resolveMedia: MediaResolver = (ref) => {
      for (const d of domains) {
        const file = d.resolveMedia?.(ref);
        if (file) return file;
      }
      return null;
    };

    if (primary.isPrimary && opts.startEngines !== false) {
      for (const d of domains) d.start?.();
    }
    let closed: Promise<void> | null = null;
    return {
      ...core,
      library: library.service,
      jobs: jobs.service,
      monitor: monitor.service,
      stripe: stripe.service,
      avatar: avatar.service,
      backup: backup.service,
      lab: lab.service,
      killSwitch,
      handlers,
      dispatch: createDispatcher(handlers, audit, logError, (e) => {
        // A damaged page met by a request gets the recovery screen's words: what is wrong and the way back.
        const problem = asDatabaseProblem(e, dbFile, false);
        return problem ? new ChurchError(problem.code, describeStartFailure(problem, opts.dataDir, newestVerifiedSnapshot(opts.dataDir)).message, problem.details) : null;
      }),
      resolveMedia,
      close() {
        closed ??= (async () => {
          // Reverse order: a domain closes before the domains it depends on.
          for (const d of [...domains].reverse()) {
            try {
              await d.close?.();
            } catch (e) {
              logError('a service failed to close', e);
            }
          }
          db.close();
          if (primary.isPrimary) recordCleanClose(opts.dataDir, startCheck !== null);
          primary.release();
        })();
        return closed;
      },
    };
  } catch (e) {
    for (const d of composed.reverse()) {
      try {
        // The synchronous part (timers, servers) runs now, before the database closes.
        void Promise.resolve(d.close?.()).catch((err: unknown) => logError('a service failed to close after a failed start', err));
      } catch (err) {
        logError('a service failed to close after a failed start', err);
      }
    }
    db.close();
    primary.release();
    throw asDatabaseProblem(e, dbFile, false) ?? e;
  }
}
