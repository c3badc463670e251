import { asDatabaseProblem, explainDatabaseFailure, studioDatabaseFile } from '../domains/backup';
import type { MediaResolver } from '../platform/mediaserve';
import type { KillSwitch } from '../domains/killswitch';
import { stopTargets } from '../domains/jobs';
import type { HostCore } from './hostCore';
import { createDispatcher, type Dispatch } from './dispatch';
import { wholeContract } from './wholeContract';
import { systemHandlers } from './handlers/system';
import { secretsHandlers } from './handlers/secrets';
import { auditHandlers } from './handlers/audit';
import { mcpHandlers } from './handlers/mcp';
import type { Handlers } from './handlers/types';
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

export type { HostCore } from './hostCore';
export { SECRET_ENV_VARS, type HostOptions } from './hostOptions';
import { SECRET_ENV_VARS, type HostOptions } from './hostOptions';
import { openHostCore } from './openCore';

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
  const { core, release } = openHostCore(opts);
  const { logError } = core;
  // Whatever was composed before a failure is closed again, so a broken start leaves no timer, server or lock.
  const composed: Closable[] = [];
  const track = <D extends Closable>(d: D): D => {
    composed.push(d);
    return d;
  };
  try {
    const c = composeDomains(core, track);
    const domains = [c.lab, c.library, c.avatar, c.jobs, c.monitor, c.stripe, c.backup];
    const handlers = allHandlers(core, c);
    if (core.isPrimary && opts.startEngines !== false) {
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
      dispatch: createDispatcher(handlers, wholeContract, core.audit, logError, (e) => explainDatabaseFailure(e, opts.dataDir)),
      resolveMedia: mediaResolver(domains),
      close() {
        closed ??= closeInOrder(domains, logError, () => release(true));
        return closed;
      },
    };
  } catch (e) {
    closeAfterFailedStart(composed, logError);
    release(false);
    throw asDatabaseProblem(e, studioDatabaseFile(opts.dataDir), false) ?? e;
  }
}
