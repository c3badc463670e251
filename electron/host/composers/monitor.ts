import type { monitorRequests } from '../../../shared/contract/monitor';
import type { HostSampleEvent, MonitorAlertEvent, MonitorSample } from '../../../shared/dto/monitor';
import { Monitor } from '../../domains/monitor';
import type { LabService } from '../../domains/lab/labService';
import type { HostCore } from '../hostCore';
import { monitorHandlers } from '../handlers/monitor';
import type { ComposedDomain } from './types';

export interface MonitorDeps {
  /** Runs the kill switch (for a rule whose action is to trigger it); resolves when the run ends. */
  triggerKillSwitch(reason: string): Promise<unknown>;
  /** Pauses the job queue (a rule with pauseJobs at its critical level). */
  pauseJobs?(reason: string): void;
  /** The lab as resolved at start (environment or Settings → Lab): its agents' samples feed the monitor. */
  lab?: LabService;
}

export function composeMonitor(core: HostCore, deps: MonitorDeps): ComposedDomain<Monitor, typeof monitorRequests> {
  const monitor = new Monitor({
    db: core.db,
    audit: core.audit,
    emit: (name, payload) => {
      if (name === 'monitor.sample') core.events.emit('monitor.sample', payload as MonitorSample);
      else if (name === 'monitor.hostSample') core.events.emit('monitor.hostSample', payload as HostSampleEvent);
      else core.events.emit('monitor.alert', payload as MonitorAlertEvent);
    },
    settings: core.settings,
    secrets: core.secrets,
    env: core.env,
    logError: core.logError,
    triggerKillSwitch: deps.triggerKillSwitch,
    pauseJobs: deps.pauseJobs,
    ...(deps.lab ? { hostOfflineMs: () => deps.lab!.offlineMs() } : {}),
  });
  const lab = deps.lab?.resolved.config ?? null;
  let feed: { close(): void } | null = null;
  let closed = false;
  return {
    service: monitor,
    handlers: monitorHandlers(monitor),
    // Only the primary process samples: one sampler, one set of alerts, one Prometheus endpoint per data dir.
    // With a lab it also takes the agents' samples (the lab code loads only then).
    start: () => {
      monitor.start();
      if (!lab) return;
      void import('../../domains/lab/sampleFeed')
        .then(({ startSampleFeed }) => startSampleFeed({ lab, onSample: (host, sample) => monitor.ingestHostSample(host, sample), log: (line) => core.logError('lab monitor', new Error(line)) }))
        .then((f) => {
          if (closed) f.close();
          else feed = f;
        })
        .catch((e: unknown) => core.logError('the lab hosts\' monitor samples could not be subscribed to; the Monitor shows this machine only', e));
    },
    close: async () => {
      closed = true;
      feed?.close();
      await monitor.close();
    },
  };
}
