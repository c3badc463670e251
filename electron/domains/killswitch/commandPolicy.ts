import type { KillPlan } from '../../../shared/dto/killswitch';

type CommandStep = Extract<KillPlan['steps'][number], { kind: 'command' }>;

const key = (argv: readonly string[]) => JSON.stringify(argv);

/**
 * The custom command steps of `incoming` that the owner did not write into the plan file on disk. A request
 * (a WebSocket call, a renderer, an MCP tool) may keep, reorder, relabel or disable the commands the file
 * already has, but never introduce one: that would hand whoever holds a token a shell. Pure.
 */
export function commandsNotOnDisk(incoming: KillPlan, onDisk: KillPlan | null): string[][] {
  const known = new Set((onDisk?.steps ?? []).filter((s): s is CommandStep => s.kind === 'command').map((s) => key(s.argv)));
  return incoming.steps.filter((s): s is CommandStep => s.kind === 'command' && !known.has(key(s.argv))).map((s) => s.argv);
}
