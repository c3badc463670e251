import type { killswitchRequests } from '../../../shared/contract/killswitch';
import type { KillPlan, KillTrigger } from '../../../shared/dto/killswitch';
import { ChurchError } from '../../../shared/errors';
import { commandsNotOnDisk, type KillSwitch } from '../../domains/killswitch';
import type { Actor, CallContext, DomainHandlers } from './types';

/**
 * The run's trigger: the shell's tray or shortcut when it came from one, else the credential that called (the
 * browser token is `web` here as in the audit log, never `ui`).
 */
function triggerOf(ctx: CallContext): KillTrigger {
  if (ctx.via) return ctx.via;
  if (ctx.actor === 'cli' || ctx.actor === 'mcp' || ctx.actor === 'web') return ctx.actor;
  return ctx.actor === 'system' ? 'monitor' : 'ui';
}

/**
 * Only the CLI may bring custom command steps of its own (`church kill --plan FILE`: a file the owner points at,
 * sent with the CLI's own credential). Every other caller may only use the commands the plan file on disk has;
 * and whatever is on disk runs only once the owner accepted it (planTrust), so keeping a restored command in a
 * saved plan does not make it run.
 */
function refuseNewCommands(plan: KillPlan | null | undefined, actor: Actor, killSwitch: KillSwitch): void {
  if (!plan || actor === 'cli') return;
  const fresh = commandsNotOnDisk(plan, killSwitch.planOnDisk());
  if (fresh.length === 0) return;
  throw new ChurchError(
    'FORBIDDEN',
    `custom command steps can be added only by editing the plan file ${killSwitch.planFile} on disk (refused: ${fresh.map((a) => a.join(' ')).join('; ').slice(0, 200)})`,
  );
}

export function killswitchHandlers(killSwitch: KillSwitch): DomainHandlers<typeof killswitchRequests> {
  return {
    'killswitch.getPlan': () => killSwitch.planInfo(),
    'killswitch.setPlan': ({ plan }, ctx) => {
      refuseNewCommands(plan as KillPlan | null, ctx.actor, killSwitch);
      return killSwitch.setPlan(plan as KillPlan | null);
    },
    'killswitch.trigger': ({ dryRun, reason, plan }, ctx) => {
      refuseNewCommands(plan as KillPlan | undefined, ctx.actor, killSwitch);
      return killSwitch.trigger({ dryRun, reason, plan: plan as KillPlan | undefined, planFromOwner: ctx.actor === 'cli', trigger: triggerOf(ctx) });
    },
    'killswitch.acceptPlan': ({ fingerprint }) => killSwitch.acceptPlan(fingerprint),
    'killswitch.lastRun': () => killSwitch.lastRun(),
    'killswitch.acknowledge': ({ id }) => {
      killSwitch.acknowledge(id);
      return null;
    },
  };
}
