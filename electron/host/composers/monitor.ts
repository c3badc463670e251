import type { monitorRequests } from '../../../shared/contract/monitor';
import type { HostSampleEvent, MonitorAlertEvent, MonitorSample } from '../../../shared/dto/monitor';
import { Monitor, type HostSampleSource } from '../../domains/monitor';
import type { HostCore } from '../hostCore';
import { monitorHandlers } from '../handlers/monitor';
import type { ComposedDomain } from './types';

export interface MonitorDeps {
  /** Runs the kill switch (for a rule whose action is to trigger it); resolves when the run ends. */
  triggerKillSwitch(reason: string): Promise<unknown>;
  /** Pauses the job queue (a rule with pauseJobs at its critical level). */
  pauseJobs?(reason: string): void;
  /** Other hosts' samples (the lab's agents and node_exporters), registered with the monitor. */
  sampleSources?: HostSampleSource[];
  /** Milliseconds without a sample before a host is offline (the lab's setting), when a plug-in decides it. */
  hostOfflineMs?(): number;
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
    ...(deps.hostOfflineMs ? { hostOfflineMs: deps.hostOfflineMs } : {}),
  });
  for (const source of deps.sampleSources ?? []) monitor.addHostSampleSource(source);
  return {
    service: monitor,
    handlers: monitorHandlers(monitor),
    // Only the primary process samples: one sampler, one set of alerts, one Prometheus endpoint per data dir.
    // The registered sources start with it (the lab's agents' feed loads the lab's Redis code only then).
    start: () => monitor.start(),
    close: () => monitor.close(),
  };
}
