import { AuditLog } from '../platform/audit';
import type { Db } from '../platform/db';
import { asDatabaseProblem, explainDatabaseFailure, openStudioDatabase, recordCleanClose, studioDatabaseFile, type StartCheckReport } from '../domains/backup';
import { ensurePrivateDir } from '../platform/fs';
import type { MediaResolver } from '../platform/mediaserve';
import { DatedSecretStore, EnvironmentSecretStore, takeSecretsFromEnv, type SecretStore } from '../platform/secrets';
import { SettingsStore } from '../platform/settings';
import type { KillSwitch } from '../domains/killswitch';
import { stopTargets } from '../domains/jobs';
import type { HostCore } from './hostCore';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventHub } from './EventHub';
import { systemHandlers } from './handlers/system';
import { secretsHandlers } from './handlers/secrets';
import { applyAuditFileSettings, auditHandlers } from './handlers/audit';
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
import { composeKillSwitch } from './composers/killswitch';
import { composeMetrics } from './composers/metrics';
import type { ComposedDomain } from './composers/types';
import { createKillSwitchPort } from './killSwitchPort';

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
  'alert-webhook-token': 'CHURCH_WEBHOOK_TOKEN',
  'ntfy-token': 'CHURCH_NTFY_TOKEN',
  'gotify-token': 'CHURCH_GOTIFY_TOKEN',
} as const;

type Closable = { close?(): Promise<void> | void };

/**
 * The domains in dependency order. The lab first: it plugs into the others (a monitor sample source, the kill
 * switch's lab step; the jobs composer takes its runner). The monitor and the kill switch need each other (a
 * rule may trigger the kill switch; the kill switch alerts through the monitor's channels): the monitor gets a
 * port that the kill switch is plugged into once composed.
 */
function composeDomains(core: HostCore, track: <D extends Closable>(d: D) => D) {
  const lab = track(composeLab(core));
  const library = track(composeLibrary(core));
  const avatar = track(composeAvatar(core, { library: library.service }));
  const jobs = track(composeJobs(core, { library: library.service, avatar: avatar.service, lab: lab.service }));
  const killSwitchPort = createKillSwitchPort();
  const monitor = track(
    composeMonitor(core, {
      triggerKillSwitch: (reason) => killSwitchPort.trigger(reason),
      pauseJobs: () => jobs.service.pause(),
      sampleSources: [lab.service.sampleSource],
      hostOfflineMs: () => lab.service.offlineMs(),
    }),
  );
  const stripe = track(composeStripe(core));
  const backup = track(composeBackup(core, { alert: (title, body) => monitor.service.broadcastAlert(title, body) }));
  const killSwitch = composeKillSwitch(core, {
    stopJobs: () => jobs.service.stopAll(),
    jobTargets: () => stopTargets(jobs.service.store),
    ...(lab.service.killStep ? { stopLab: lab.service.killStep } : {}),
    sendAlert: (message) => monitor.service.broadcastAlert('Emergency kill switch triggered', message),
  });
  killSwitchPort.plug((reason) => killSwitch.service.trigger({ dryRun: false, trigger: 'monitor', reason }));
  // The studio's own figures on the monitor's Prometheus endpoint, from the other domains' events and reads.
  track(composeMetrics(core, { monitor: monitor.service, backup: backup.service, lab: lab.service }));
  return { lab, library, avatar, jobs, monitor, stripe, backup, killSwitch };
}

type Composed = ReturnType<typeof composeDomains>;

function allHandlers(core: HostCore, c: Composed): Handlers {
  return {
    ...systemHandlers(core),
    ...c.killSwitch.handlers,
    ...mcpHandlers(core),
    ...c.lab.handlers,
    ...c.library.handlers,
    ...c.jobs.handlers,
    ...c.monitor.handlers,
    ...c.stripe.handlers,
    ...c.avatar.handlers,
    ...c.backup.handlers,
    ...secretsHandlers(core.secrets, SECRET_ENV_VARS),
    ...auditHandlers(core.audit, core.settings),
    ...recoveryHandlers(),
  };
}

function mediaResolver(domains: ComposedDomain<unknown, unknown>[]): MediaResolver {
  return (ref) => {
    for (const d of domains) {
      const file = d.resolveMedia?.(ref);
      if (file) return file;
    }
    return null;
  };
}

/** Closes in reverse order (a domain before the domains it depends on), then the database and the lock. */
async function closeInOrder(domains: Closable[], logError: HostCore['logError'], finish: () => void): Promise<void> {
  for (const d of [...domains].reverse()) {
    try {
      await d.close?.();
    } catch (e) {
      logError('a service failed to close', e);
    }
  }
  finish();
}

/** After a failed start: the synchronous part of each close (timers, servers) runs now, before the database closes. */
function closeAfterFailedStart(composed: Closable[], logError: HostCore['logError']): void {
  for (const d of [...composed].reverse()) {
    try {
      void Promise.resolve(d.close?.()).catch((err: unknown) => logError('a service failed to close after a failed start', err));
    } catch (err) {
      logError('a service failed to close after a failed start', err);
    }
  }
}

export function createHost(opts: HostOptions): Host {
  const env = opts.env ?? process.env;
  const logError = opts.logError ?? ((msg: string, e: unknown) => console.error(msg, e));
  ensurePrivateDir(opts.dataDir);
  const primary = acquirePrimary(opts.dataDir);
  let db: Db;
  let startCheck: StartCheckReport | null;
  try {
    const check = opts.checkDatabase ?? (primary.isPrimary && opts.startEngines !== false);
    ({ db, startCheck } = openStudioDatabase(opts.dataDir, { isPrimary: primary.isPrimary, check, sqliteBinding: opts.sqliteBinding }));
  } catch (e) {
    primary.release();
    throw e;
  }
  // Whatever was composed before a failure is closed again, so a broken start leaves no timer, server or lock.
  const composed: Closable[] = [];
  const track = <D extends Closable>(d: D): D => {
    composed.push(d);
    return d;
  };
  try {
    const audit = new AuditLog(db);
    const settings = new SettingsStore(db);
    // Every secret records when it was set (the values pass through untouched: nothing stored before is lost).
    const secrets = new DatedSecretStore(opts.secrets ?? new EnvironmentSecretStore(takeSecretsFromEnv(env, SECRET_ENV_VARS), SECRET_ENV_VARS), settings);
    const core: HostCore = { dataDir: opts.dataDir, env, db, audit, events: new EventHub(), secrets, settings, isPrimary: primary.isPrimary, startCheck, logError };
    applyAuditFileSettings(audit, core.settings);
    audit.onFileError = (e) => logError('the audit file could not be written (the entry is in the database)', e);
    const c = composeDomains(core, track);
    const domains = [c.lab, c.library, c.avatar, c.jobs, c.monitor, c.stripe, c.backup];
    const handlers = allHandlers(core, c);
    if (primary.isPrimary && opts.startEngines !== false) {
      for (const d of domains) d.start?.();
    }
    let closed: Promise<void> | null = null;
    return {
      ...core,
      library: c.library.service,
      jobs: c.jobs.service,
      monitor: c.monitor.service,
      stripe: c.stripe.service,
      avatar: c.avatar.service,
      backup: c.backup.service,
      lab: c.lab.service,
      killSwitch: c.killSwitch.service,
      handlers,
      // A damaged page met by a request gets the recovery screen's words: what is wrong and the way back.
      dispatch: createDispatcher(handlers, audit, logError, (e) => explainDatabaseFailure(e, opts.dataDir)),
      resolveMedia: mediaResolver(domains),
      close() {
        closed ??= closeInOrder(domains, logError, () => {
          db.close();
          if (primary.isPrimary) recordCleanClose(opts.dataDir, startCheck !== null);
          primary.release();
        });
        return closed;
      },
    };
  } catch (e) {
    closeAfterFailedStart(composed, logError);
    db.close();
    primary.release();
    throw asDatabaseProblem(e, studioDatabaseFile(opts.dataDir), false) ?? e;
  }
}
