import type { KillPlanInfo } from '../../../shared/dto/killswitch';
import { ChurchError } from '../../../shared/errors';
import type { CliContext } from '../command';
import { confirmTyped } from '../confirmTyped';

const shown = (argv: readonly string[]) => argv.map((a) => (/^[\w./:=@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

function pendingLines(info: KillPlanInfo): string[] {
  return info.steps.filter((s) => s.pendingAcceptance).flatMap((s) => [`  ${s.index + 1}. ${s.label}`, ...s.commands.map((c) => `     $ ${shown(c.argv)}`)]);
}

/**
 * `church kill --accept-plan`: shows the command steps of the saved plan that wait for acceptance (arrived with a
 * restore, an import, a settings write or an edit of the plan file), asks for ACCEPT typed on a terminal (or
 * --yes), and accepts exactly what was shown. Without a terminal and without --yes nothing is accepted.
 */
export async function acceptPlan(ctx: CliContext, yes: boolean): Promise<number> {
  const client = await ctx.client();
  const info = await client.call('killswitch.getPlan', {});
  if (info.pendingCommands === 0) {
    ctx.print({ accepted: 0, plan: info }, () => 'Nothing to accept: every command step of the kill-switch plan is already accepted.');
    return 0;
  }
  const listing = [`These ${info.pendingCommands} command step(s) of the kill-switch plan wait for your acceptance; once accepted they run as you whenever the kill switch is triggered:`, ...pendingLines(info)].join('\n');
  ctx.stderr.write(`${listing}\n`);
  if (!yes && !(await confirmTyped(ctx, 'Accept these commands?', 'ACCEPT'))) {
    throw new ChurchError('CANCELLED', 'not accepted: type ACCEPT on a terminal, or add --yes; the commands stay pending and do not run');
  }
  const after = await client.call('killswitch.acceptPlan', { fingerprint: info.commandsFingerprint });
  ctx.print({ accepted: info.pendingCommands, plan: after }, () => `Accepted ${info.pendingCommands} command step(s); they run when the kill switch is triggered.`);
  return 0;
}
