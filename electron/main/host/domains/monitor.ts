import type { monitorRequests } from '../../../../shared/contract/monitor';
import { Monitor } from '../../services/monitor';
import type { HostCore } from '../createHost';
import type { ComposedDomain } from './types';

export interface MonitorDeps {
  /** Runs the kill switch (for a rule whose action is to trigger it); resolves when the run ends. */
  triggerKillSwitch(reason: string): Promise<unknown>;
}

export function composeMonitor(_core: HostCore, _deps: MonitorDeps): ComposedDomain<Monitor, typeof monitorRequests> {
  return { service: new Monitor(), handlers: {} };
}
