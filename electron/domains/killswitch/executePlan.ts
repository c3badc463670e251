import type { CommandReport, KillPlan, KillRun, LabHostReport, PlannedCommand, StepReport } from '../../../shared/dto/killswitch';
import { runProcess } from '../../platform/process';
import { DOCKER_LIST, dockerGraceSeconds, dockerStop, planStep, type Platform } from './planCommands';
import { PENDING_NOTE } from './planTrust';
import { rehearsalNote, rehearsalTargets, type RehearsalSources } from './rehearsal';

/** The lab's "stop the lab" step, which a plug-in (the lab) gives the kill switch; absent without a lab. */
export type StopLabStep = (o: { dryRun: boolean; timeoutMs: number; reason: string | null }) => Promise<LabHostReport[]>;

export interface ExecuteDeps extends RehearsalSources {
  platform: Platform;
  env: NodeJS.ProcessEnv;
  /** Cancels every studio job; resolves when their processes are gone. */
  stopJobs(): Promise<{ stopped: number }>;
  /** Sends the alert through the configured channels; resolves with a note of where it went. */
  sendAlert(message: string, run: KillRun): Promise<string>;
  /**
   * The lab (absent without one): broadcasts the trigger (or the dry run) to every agent and resolves with their
   * reports, waiting at most timeoutMs; hosts that did not answer are listed as such.
   */
  stopLab?: StopLabStep;
  /** Called after every change of the run (a step started or ended). */
  onUpdate(run: KillRun): void;
  /** Called right before the power-off step, so the report is durable before the machine goes down. */
  beforePowerOff(run: KillRun): void;
  /** Command steps the owner has not accepted (planTrust): reported as pending, never run. */
  pendingSteps?: ReadonlySet<number>;
}

const OUTPUT_TAIL = 2000;

function tail(s: string): string {
  return s.length > OUTPUT_TAIL ? s.slice(-OUTPUT_TAIL) : s;
}

async function runCommand(cmd: PlannedCommand, deadline: number, env: NodeJS.ProcessEnv): Promise<CommandReport & { timedOut: boolean; missing: boolean }> {
  const [bin, ...args] = cmd.argv;
  const timeoutMs = Math.max(1, deadline - performance.now());
  const r = await runProcess(bin!, args, { env, timeoutMs, killGraceMs: 300, killGroup: true, maxOutputBytes: 64 * 1024 });
  const output = tail(`${r.stdout}${r.stderr ? (r.stdout ? '\n' : '') + r.stderr : ''}`.trim());
  return {
    argv: cmd.argv,
    exitCode: r.code,
    signal: r.signal,
    durationMs: Math.round(r.durationMs),
    outputTail: output,
    ...(r.spawnError ? { error: r.spawnError } : {}),
    timedOut: r.timedOut,
    missing: r.spawnError?.startsWith('ENOENT') ?? false,
  };
}

/** Races an in-process action against the step's time budget. */
async function withDeadline<T>(work: Promise<T>, deadline: number): Promise<{ value: T } | { timedOut: true }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ timedOut: true }>((r) => {
    timer = setTimeout(() => r({ timedOut: true }), Math.max(1, deadline - performance.now()));
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type StepOutcome = Pick<StepReport, 'status' | 'ran' | 'note' | 'hosts'>;

async function labReports(deps: ExecuteDeps, run: KillRun, timeoutMs: number): Promise<LabHostReport[]> {
  try {
    return await deps.stopLab!({ dryRun: run.dryRun, timeoutMs, reason: run.reason });
  } catch (e) {
    return [{ host: 'lab', status: 'no-answer', steps: [], warning: `the lab could not be reached: ${(e as Error).message}` }];
  }
}

function labOutcome(hosts: LabHostReport[]): StepOutcome {
  if (hosts.length === 0) return { status: 'ok', ran: [], note: 'no agent is online', hosts };
  const silent = hosts.filter((h) => h.status === 'no-answer').length;
  const failed = hosts.filter((h) => h.status === 'completed-with-failures').length;
  const note = `${hosts.length - silent} of ${hosts.length} agent(s) reported${failed ? `, ${failed} with failures` : ''}`;
  if (silent) return { status: 'timeout', ran: [], note, hosts };
  return { status: failed ? 'failed' : 'ok', ran: [], note, hosts };
}

function emptyStepNote(report: StepReport): string {
  if (report.kind === 'network-down') return 'no interfaces are named in the plan';
  if (report.kind === 'lock-volumes') return 'no volumes are named in the plan';
  return 'nothing to run';
}

function commandsOutcome(ran: (CommandReport & { timedOut: boolean })[]): StepOutcome {
  const clean = ran.map(({ timedOut: _t, ...c }) => c);
  if (ran.some((c) => c.timedOut)) return { status: 'timeout', ran: clean, note: 'killed at the step timeout' };
  const bad = ran.filter((c) => c.exitCode !== 0);
  if (bad.length) return { status: 'failed', ran: clean, note: `${bad.length} of ${ran.length} command(s) failed` };
  return { status: 'ok', ran: clean };
}

async function runStep(report: StepReport, plan: KillPlan, deps: ExecuteDeps, run: KillRun): Promise<StepOutcome> {
  const step = plan.steps[report.index]!;
  const deadline = performance.now() + step.timeoutMs;
  switch (step.kind) {
    case 'stop-jobs': {
      const r = await withDeadline(deps.stopJobs(), deadline);
      if ('timedOut' in r) return { status: 'timeout', ran: [], note: 'jobs were still stopping at the step timeout' };
      return { status: 'ok', ran: [], note: `${r.value.stopped} job(s) stopped` };
    }
    case 'stop-lab': {
      if (!deps.stopLab) return { status: 'skipped', ran: [], note: 'no lab is configured' };
      const hosts = await labReports(deps, run, step.timeoutMs);
      return labOutcome(hosts);
    }
    case 'alert': {
      const r = await withDeadline(deps.sendAlert(step.message, run), deadline);
      if ('timedOut' in r) return { status: 'timeout', ran: [], note: 'the alert was still sending at the step timeout' };
      return { status: 'ok', ran: [], note: r.value };
    }
    case 'docker-stop': {
      const list = await runCommand(DOCKER_LIST, deadline, deps.env);
      if (list.missing) return { status: 'skipped', ran: [], note: 'Docker is not installed on this machine' };
      if (list.timedOut || list.exitCode !== 0) {
        return { ...commandsOutcome([list]), note: list.timedOut ? 'docker ps hung and was killed' : 'docker ps failed; is the Docker daemon running?' };
      }
      const ids = list.outputTail.split(/\s+/).filter((x) => /^[0-9a-f]{6,64}$/.test(x));
      if (ids.length === 0) return { ...commandsOutcome([list]), note: 'no containers were running' };
      const stop = await runCommand(dockerStop(ids, dockerGraceSeconds(step.timeoutMs)), deadline, deps.env);
      const outcome = commandsOutcome([list, stop]);
      return { ...outcome, note: outcome.status === 'ok' ? `${ids.length} container(s) stopped` : outcome.note };
    }
    default: {
      const commands = report.commands;
      if (commands.length === 0) return { status: 'skipped', ran: [], note: emptyStepNote(report) };
      const ran: (CommandReport & { timedOut: boolean })[] = [];
      for (const cmd of commands) {
        // Each command gets what is left of the step's budget; one hung command cannot eat the next step's.
        if (performance.now() >= deadline) {
          ran.push({ argv: cmd.argv, exitCode: null, signal: null, durationMs: 0, outputTail: '', error: 'not started: step timeout reached', timedOut: true });
          continue;
        }
        ran.push(await runCommand(cmd, deadline, deps.env));
      }
      return commandsOutcome(ran);
    }
  }
}

/**
 * Runs the plan step by step. Every step is bounded by its timeout; a failing or hung step is recorded and the
 * plan goes on (unless that step is marked as a gate with continueOnFailure: false). Never throws.
 */
export async function executePlan(plan: KillPlan, run: KillRun, deps: ExecuteDeps): Promise<KillRun> {
  const held = deps.pendingSteps ?? new Set<number>();
  run.steps = plan.steps.map((s, i) => ({ ...planStep(s, i, deps.platform), ...(held.has(i) ? { pendingAcceptance: true as const } : {}), status: 'pending', startedAt: null, durationMs: 0, ran: [] }));
  deps.onUpdate(run);
  let gateClosedBy: string | null = null;
  for (const report of run.steps) {
    if (!report.enabled) {
      report.status = 'skipped';
      report.note = 'disabled in the plan';
      continue;
    }
    if (report.pendingAcceptance) {
      // Restored, shown, never run: neither a trigger, a monitor rule nor a lab agent runs what the owner has not accepted.
      report.status = 'skipped';
      report.note = PENDING_NOTE;
      continue;
    }
    if (gateClosedBy) {
      report.status = 'skipped';
      report.note = `not run: "${gateClosedBy}" failed and is marked to stop the plan`;
      continue;
    }
    if (run.dryRun) {
      // A rehearsal across the lab: every agent answers with the steps its own plan would run.
      if (report.kind === 'stop-lab' && deps.stopLab) report.hosts = await labReports(deps, run, report.timeoutMs);
      const step = plan.steps[report.index]!;
      report.targets = rehearsalTargets(step, report, deps);
      report.status = 'dry-run';
      report.note = rehearsalNote(step, report.targets, report.hosts);
      continue;
    }
    if (report.kind === 'power-off') {
      try {
        deps.beforePowerOff(run);
      } catch {
        // The report could not be saved; powering off is still what the owner asked for.
      }
    }
    report.status = 'running';
    report.startedAt = new Date().toISOString();
    deps.onUpdate(run);
    const started = performance.now();
    let outcome: StepOutcome;
    try {
      outcome = await runStep(report, plan, deps, run);
    } catch (e) {
      outcome = { status: 'failed', ran: [], note: e instanceof Error ? e.message : String(e) };
    }
    Object.assign(report, outcome, { durationMs: Math.round(performance.now() - started) });
    if ((outcome.status === 'failed' || outcome.status === 'timeout') && !report.continueOnFailure) gateClosedBy = report.label;
    deps.onUpdate(run);
  }
  run.finishedAt = new Date().toISOString();
  run.status = run.steps.some((s) => s.status === 'failed' || s.status === 'timeout') ? 'completed-with-failures' : 'completed';
  deps.onUpdate(run);
  return run;
}
