import type { z } from 'zod';

/**
 * Who may call: each credential maps to one actor. `ui` is the owner's window (IPC), `web` the owner's browser page
 * (its token), `cli` the owner's shell (the attach token of the owner-only instance file, or the process itself),
 * `mcp` a local LLM agent, `agent` a lab host. `system` is the studio acting on its own (alert rules), never a
 * credential.
 */
export type Actor = 'ui' | 'web' | 'cli' | 'mcp' | 'system' | `agent:${string}`;
/** The kinds of caller a request can name: an `agent:<name>` actor is of kind `agent`. */
export type ActorKind = 'ui' | 'web' | 'cli' | 'mcp' | 'agent';
export const ACTOR_KINDS: readonly ActorKind[] = ['ui', 'web', 'cli', 'mcp', 'agent'];

/** The owner's own hands: the window, the browser page and the shell. */
export const OWNER = ['ui', 'web', 'cli'] as const satisfies readonly ActorKind[];
/**
 * The owner in person: the window (its IPC only answers the app's own page) and the shell (a token derived from
 * the owner-only instance file). Not the browser token, a bearer credential that travels in a URL: what may run
 * commands on this machine is accepted here only.
 */
export const OWNER_IN_PERSON = ['ui', 'cli'] as const satisfies readonly ActorKind[];
/** The owner, and a local LLM agent through MCP (its handlers hold it to the MCP's narrower rules). */
export const OWNER_AND_MCP = ['ui', 'web', 'cli', 'mcp'] as const satisfies readonly ActorKind[];
/** Only the MCP server (it records its own tool calls). */
export const MCP_ONLY = ['mcp'] as const satisfies readonly ActorKind[];

export function actorKind(actor: Actor): ActorKind | 'system' {
  return actor.startsWith('agent:') ? 'agent' : (actor as ActorKind | 'system');
}

/**
 * A request: a runtime input schema (validated in main) and a compile-time output type.
 * `mutates` marks calls that change state; the dispatcher writes those to the audit log.
 * `actors` names who may call it; the dispatcher refuses everyone else before it reads the input.
 */
export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly description: string;
  readonly mutates: boolean;
  readonly actors: readonly ActorKind[];
  /** Phantom field: carries the output type, never set at runtime. */
  readonly __output?: O;
}

export interface EventDef<P = unknown> {
  readonly description: string;
  readonly __payload?: P;
}

/** `request<Output>()({ input, description, actors })`: curried so the input type is inferred, the output named. */
export function request<O>() {
  return <I extends z.ZodType>(def: { input: I; description: string; mutates?: boolean; actors: readonly ActorKind[] }): RequestDef<I, O> => ({
    input: def.input,
    description: def.description,
    mutates: def.mutates ?? false,
    actors: def.actors,
  });
}

export function event<P>(description: string): EventDef<P> {
  return { description };
}

export type RequestDefs = Record<string, RequestDef>;
export type EventDefs = Record<string, EventDef>;
