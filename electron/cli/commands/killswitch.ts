import { readFileSync } from 'node:fs';
import type { KillRun, StepReport } from '../../../shared/dto/killswitch';
import { ChurchError } from '../../../shared/errors';
import { parsePlan } from '../../host/offline';
import type { CliCommand } from '../command';
import { confirmTyped } from '../confirmTyped';
import { acceptPlan } from './acceptPlan';

const MARK: Record<StepReport['status'], string> = { pending: '·', running: '…', ok: '✓', failed: '✗', timeout: '⧖', skipped: '–', 'dry-run': '○' };

const RUN_STATUS: Record<KillRun['status'], string> = { running: 'still running', completed: 'completed', 'completed-with-failures': 'completed, with failures' };

/** The report's first line: which run, on which platform, and whether anything was executed. */
export function runHeadline(run: KillRun): string {
  return run.dryRun
    ? `Dry run #${run.id} of the kill-switch plan (${run.platform}): nothing was executed; these are the steps it would run`
    : `Kill-switch run #${run.id} (${run.platform}): ${RUN_STATUS[run.status]}`;
}

function renderRun(run: KillRun): string {
  const lines = [runHeadline(run)];
  if (run.warning) lines.push(`! ${run.warning}`);
  for (const s of run.steps) {
    lines.push(`${MARK[s.status]} ${s.index + 1}. ${s.label}  [${s.status}${s.durationMs ? `, ${s.durationMs} ms` : ''}, timeout ${s.timeoutMs} ms${s.continueOnFailure ? '' : ', stops the plan on failure'}]`);
    if (s.action) lines.push(`     action: ${s.action}`);
    const cmds = run.dryRun || s.ran.length === 0 ? s.commands.map((c) => ({ argv: c.argv, exitCode: undefined as number | null | undefined })) : s.ran;
    for (const c of cmds) lines.push(`     $ ${c.argv.map((a) => (/^[\w./:=@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}${c.exitCode === undefined ? '' : `   → exit ${c.exitCode ?? 'none'}`}`);
    if (s.note) lines.push(`     ${s.note}`);
    else if (s.pendingAcceptance) lines.push('     pending: not accepted yet, so it will not run; "church kill --accept-plan" shows and accepts it');
    for (const h of s.hosts ?? []) {
      lines.push(`     host ${h.host}: ${h.status}${h.warning ? ` (${h.warning})` : ''}`);
      for (const hs of h.steps) {
        lines.push(`       ${MARK[hs.status]} ${hs.label}${hs.note ? ` — ${hs.note}` : ''}`);
        for (const c of hs.commands) lines.push(`         $ ${c.argv.join(' ')}`);
      }
    }
  }
  return lines.join('\n');
}

export const killCommand: CliCommand = {
  name: 'kill',
  summary: 'Run the emergency kill-switch plan (or show what it would run with --dry-run)',
  usage: 'church kill [--dry-run] [--plan FILE] [--yes] [--reason TEXT] [--json]  |  church kill --accept-plan [--yes]',
  options: { 'dry-run': { type: 'boolean' }, plan: { type: 'string' }, yes: { type: 'boolean' }, reason: { type: 'string' }, 'accept-plan': { type: 'boolean' } },
  async run(ctx, args) {
    if (args.values['accept-plan'] === true) return acceptPlan(ctx, args.values.yes === true);
    const dryRun = args.values['dry-run'] === true;
    let plan;
    if (typeof args.values.plan === 'string') {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(args.values.plan, 'utf8'));
      } catch (e) {
        throw new ChurchError('INVALID_INPUT', `cannot read the plan ${args.values.plan}: ${(e as Error).message}`);
      }
      plan = parsePlan(raw, args.values.plan);
    }
    if (!dryRun && args.values.yes !== true && !(await confirmTyped(ctx, 'This runs the kill-switch plan for real (it may power this machine off).', 'KILL'))) {
      throw new ChurchError('CANCELLED', 'not confirmed: add --yes to run the plan for real, or --dry-run to see what it would do');
    }
    // Through the running studio when there is one, so its job engine is the one that stops. The kill switch
    // writes its own report to the audit log (before power-off, and at the end).
    const client = await ctx.client();
    const reason = typeof args.values.reason === 'string' ? args.values.reason : undefined;
    const run = await client.call('killswitch.trigger', { dryRun, plan, reason });
    ctx.print(run, () => renderRun(run));
    return run.status === 'completed' ? 0 : 1;
  },
};
