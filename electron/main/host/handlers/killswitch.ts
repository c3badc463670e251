import type { killswitchRequests } from '../../../../shared/contract/killswitch';
import type { KillPlan } from '../../../../shared/dto/killswitch';
import type { KillSwitch } from '../../services/killswitch';
import type { Actor } from './types';
import type { DomainHandlers } from './types';

const TRIGGER_OF: Record<Actor, 'ui' | 'cli' | 'mcp'> = { ui: 'ui', web: 'ui', cli: 'cli', mcp: 'mcp', system: 'ui' };

export function killswitchHandlers(killSwitch: KillSwitch): DomainHandlers<typeof killswitchRequests> {
  return {
    'killswitch.getPlan': () => killSwitch.planInfo(),
    'killswitch.setPlan': ({ plan }) => killSwitch.setPlan(plan as KillPlan | null),
    'killswitch.trigger': ({ dryRun, reason, plan }, ctx) =>
      killSwitch.trigger({ dryRun, reason, plan: plan as KillPlan | undefined, trigger: TRIGGER_OF[ctx.actor] }),
    'killswitch.lastRun': () => killSwitch.lastRun(),
    'killswitch.acknowledge': ({ id }) => {
      killSwitch.acknowledge(id);
      return null;
    },
  };
}
