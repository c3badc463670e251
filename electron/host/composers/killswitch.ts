import type { killswitchRequests } from '../../../shared/contract/killswitch';
import { KillSwitch, type StopLabStep } from '../../domains/killswitch';
import type { HostCore } from '../hostCore';
import { killswitchHandlers } from '../handlers/killswitch';
import type { ComposedDomain } from './types';

export interface KillSwitchComposeDeps {
  stopJobs(): Promise<{ stopped: number }>;
  /** What stopping the jobs would stop, for a rehearsal. */
  jobTargets?(): string[];
  /** A plug-in's "stop the lab" step (the lab's, when one is configured). */
  stopLab?: StopLabStep;
  /** The alert step's channels (the monitor's: a desktop notification or toast, e-mail when configured, the audit log). */
  sendAlert(message: string): Promise<string>;
}

export function composeKillSwitch(core: HostCore, deps: KillSwitchComposeDeps): ComposedDomain<KillSwitch, typeof killswitchRequests> {
  const killSwitch = new KillSwitch({
    db: core.db,
    recoverInterrupted: core.isPrimary,
    audit: core.audit,
    dataDir: core.dataDir,
    env: core.env,
    stopJobs: deps.stopJobs,
    ...(deps.jobTargets ? { jobTargets: deps.jobTargets } : {}),
    ...(deps.stopLab ? { stopLab: deps.stopLab } : {}),
    sendAlert: (message) => deps.sendAlert(message),
    onUpdate: (run) => core.events.emit('killswitch.progress', run),
  });
  return { service: killSwitch, handlers: killswitchHandlers(killSwitch) };
}
