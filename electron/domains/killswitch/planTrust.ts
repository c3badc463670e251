import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KillPlan } from '../../../shared/dto/killswitch';
import { writeFileAtomic } from '../../platform/fs';
import { loadPlan } from './planFile';

/**
 * The command steps the owner accepted, as fingerprints, in `<data dir>/accepted-commands.json` (0600).
 *
 * Why a file of its own: a plan file can land in the data dir by a path the owner did not write it by (a restore
 * of a snapshot made elsewhere, a settings write through a token). What runs must be what the owner accepted, and
 * that acceptance must not be able to arrive the same way. A snapshot holds `studio.sqlite`, the plan file and
 * `presets/` only; a restore writes back exactly those names (backup's EXTRA_FILES) and never this file, so a
 * restored database or snapshot cannot carry its own acceptance. Nothing in the contract writes it but
 * `killswitch.acceptPlan`, which only the window and the CLI may call.
 */
export const ACCEPTED_FILE = 'accepted-commands.json';

type CommandStep = Extract<KillPlan['steps'][number], { kind: 'command' }>;

interface AcceptedRecord {
  version: 1;
  acceptedAt: string;
  /** sha256 of each accepted command's argv (JSON): the exact argument array, nothing looser. */
  commands: string[];
}

export function commandFingerprint(argv: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(argv)).digest('hex');
}

function commandSteps(plan: KillPlan): CommandStep[] {
  return plan.steps.filter((s): s is CommandStep => s.kind === 'command');
}

/** What the owner sees and accepts: every command of the plan, in order. A later change makes it another one. */
export function planCommandsFingerprint(plan: KillPlan): string {
  return createHash('sha256').update(JSON.stringify(commandSteps(plan).map((s) => s.argv))).digest('hex');
}

function acceptedFile(dataDir: string): string {
  return join(dataDir, ACCEPTED_FILE);
}

/**
 * The accepted fingerprints. A file that cannot be read or parsed accepts nothing (fail closed); only a missing
 * file means "never recorded", which recordAcceptedBaseline turns into a record of the plan in place.
 */
export function acceptedCommands(dataDir: string): ReadonlySet<string> {
  try {
    const r = JSON.parse(readFileSync(acceptedFile(dataDir), 'utf8')) as Partial<AcceptedRecord>;
    return new Set(Array.isArray(r.commands) ? r.commands.filter((c): c is string => typeof c === 'string') : []);
  } catch {
    return new Set();
  }
}

function write(dataDir: string, plan: KillPlan | null): void {
  const record: AcceptedRecord = { version: 1, acceptedAt: new Date().toISOString(), commands: plan ? [...new Set(commandSteps(plan).map((s) => commandFingerprint(s.argv)))] : [] };
  writeFileAtomic(acceptedFile(dataDir), JSON.stringify(record, null, 2) + '\n', 0o600);
}

/**
 * The first time a data dir is seen by this version (no record yet), the commands of the plan in place are the
 * owner's own: they are recorded as accepted, so an existing plan keeps working. Called before anything can land
 * a plan (the kill switch's start, every restore, the agent's plan loading), so whatever lands later is compared
 * with what was there before it.
 */
export function recordAcceptedBaseline(dataDir: string): void {
  if (existsSync(acceptedFile(dataDir)) || !existsSync(dataDir)) return;
  let plan: KillPlan | null = null;
  try {
    plan = loadPlan(dataDir).plan;
  } catch {
    // A plan file that does not parse has no command anyone could have accepted.
  }
  write(dataDir, plan);
}

/** The owner accepts the plan as it is now: its commands, and no earlier ones, are what may run. */
export function acceptPlanCommands(dataDir: string, plan: KillPlan): void {
  write(dataDir, plan);
}

/** Indexes of the command steps of `plan` whose exact argv the owner has not accepted: they are held, never run. */
export function pendingCommandSteps(plan: KillPlan, accepted: ReadonlySet<string>): Set<number> {
  const held = new Set<number>();
  plan.steps.forEach((s, i) => {
    if (s.kind === 'command' && !accepted.has(commandFingerprint(s.argv))) held.add(i);
  });
  return held;
}

/** The words a held step carries in a run report and in Settings. */
export const PENDING_NOTE =
  'pending: this command is not one you accepted (it arrived with a restore, an import, a settings change or an edit of the plan file), so it did not run; review it and accept it in Settings › Kill switch (hold to accept) or with "church kill --accept-plan"';
