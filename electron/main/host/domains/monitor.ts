import type { monitorRequests } from '../../../../shared/contract/monitor';
import type { MonitorAlertEvent, MonitorSample } from '../../../../shared/dto/monitor';
import { Monitor } from '../../services/monitor';
import type { HostCore } from '../createHost';
import { monitorHandlers } from '../handlers/monitor';
import type { ComposedDomain } from './types';

export interface MonitorDeps {
  /** Runs the kill switch (for a rule whose action is to trigger it); resolves when the run ends. */
  triggerKillSwitch(reason: string): Promise<unknown>;
  /** Pauses the job queue (a rule with pauseJobs at its critical level). */
  pauseJobs?(reason: string): void;
}

export function composeMonitor(core: HostCore, deps: MonitorDeps): ComposedDomain<Monitor, typeof monitorRequests> {
  const monitor = new Monitor({
    db: core.db,
    audit: core.audit,
    emit: (name, payload) => {
      if (name === 'monitor.sample') core.events.emit('monitor.sample', payload as MonitorSample);
      else core.events.emit('monitor.alert', payload as MonitorAlertEvent);
    },
    settings: core.settings,
    secrets: core.secrets,
    env: core.env,
    logError: core.logError,
    triggerKillSwitch: deps.triggerKillSwitch,
    pauseJobs: deps.pauseJobs,
  });
  return {
    service: monitor,
    handlers: monitorHandlers(monitor),
    // Only the primary process samples: one sampler, one set of alerts, one Prometheus endpoint per data dir.
    start: () => monitor.start(),
    close: () => monitor.close(),
  };
}
