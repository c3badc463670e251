import type { killswitchRequests } from '../../shared/contract/killswitch';
import type { KillSwitch } from '../domains/killswitch';
import type { ComposedDomain } from './composers/types';
import type { HostCore } from './hostCore';

type Closable = { close?(): Promise<void> | void };

/**
 * The domains of a one-shot command's host, each composed on first use with the domains it depends on (as
 * createHost wires them) and loaded with `import()`, so `church list` never loads the lab, Stripe or the avatar's
 * font renderer. The monitor reaches the kill switch only when a rule fires, so it composes the kill switch then,
 * not before: the two need each other, and neither is composed for a command that touches neither.
 */
export function lazyDomains(core: HostCore, track: <D extends Closable>(d: D) => D) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let made = memo.get(key) as Promise<T> | undefined;
    if (!made) {
      made = make();
      memo.set(key, made);
    }
    return made;
  };
  const d = {
    lab: () => once('lab', async () => track((await import('./composers/lab')).composeLab(core))),
    library: () => once('library', async () => track((await import('./composers/library')).composeLibrary(core))),
    avatar: () =>
      once('avatar', async () => {
        const library = await d.library();
        return track((await import('./composers/avatar')).composeAvatar(core, { library: library.service }));
      }),
    jobs: () =>
      once('jobs', async () => {
        const [library, avatar, lab] = [await d.library(), await d.avatar(), await d.lab()];
        return track((await import('./composers/jobs')).composeJobs(core, { library: library.service, avatar: avatar.service, lab: lab.service }));
      }),
    monitor: () =>
      once('monitor', async () => {
        const [jobs, lab] = [await d.jobs(), await d.lab()];
        return track(
          (await import('./composers/monitor')).composeMonitor(core, {
            triggerKillSwitch: async (reason): Promise<unknown> => (await d.killswitch()).service.trigger({ dryRun: false, trigger: 'monitor', reason }),
            pauseJobs: () => jobs.service.pause(),
            sampleSources: [lab.service.sampleSource],
            hostOfflineMs: () => lab.service.offlineMs(),
          }),
        );
      }),
    stripe: () => once('stripe', async () => track((await import('./composers/stripe')).composeStripe(core))),
    backup: () =>
      once('backup', async () => {
        const monitor = await d.monitor();
        return track((await import('./composers/backup')).composeBackup(core, { alert: (title, body) => monitor.service.broadcastAlert(title, body) }));
      }),
    killswitch: (): Promise<ComposedDomain<KillSwitch, typeof killswitchRequests>> =>
      once('killswitch', async () => {
        const [jobs, lab, monitor] = [await d.jobs(), await d.lab(), await d.monitor()];
        return (await import('./composers/killswitch')).composeKillSwitch(core, {
          stopJobs: () => jobs.service.stopAll(),
          ...(lab.service.killStep ? { stopLab: lab.service.killStep } : {}),
          sendAlert: (message) => monitor.service.broadcastAlert('Emergency kill switch triggered', message),
        });
      }),
    // The studio's own figures on the monitor's Prometheus endpoint: only when the engines run (the endpoint with them).
    metrics: () =>
      once('metrics', async () => {
        const [monitor, backup, lab] = [await d.monitor(), await d.backup(), await d.lab()];
        return track((await import('./composers/metrics')).composeMetrics(core, { monitor: monitor.service, backup: backup.service, lab: lab.service }));
      }),
  };
  return d;
}

/**
 * Every domain, composed in createHost's order, then started in it: what a long-running command that answered
 * first (`church mcp` gives its tool list before this) runs once it has.
 */
export async function startAllEngines(d: LazyDomains): Promise<void> {
  const lab = await d.lab();
  const library = await d.library();
  const avatar = await d.avatar();
  const jobs = await d.jobs();
  const monitor = await d.monitor();
  const stripe = await d.stripe();
  const backup = await d.backup();
  await d.killswitch();
  await d.metrics();
  for (const domain of [lab, library, avatar, jobs, monitor, stripe, backup]) domain.start?.();
}

export type LazyDomains = ReturnType<typeof lazyDomains>;
