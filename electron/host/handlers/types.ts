import type { ParsedInput, RequestName, RequestOutput } from '../../../shared/contract';
import type { Actor } from '../../../shared/contract/define';

/**
 * Who is calling: recorded in the audit log and checked against each request's `actors`. Each follows from a
 * credential (the window's IPC, the browser token, the CLI's or MCP's derived token); a lab agent acts as
 * `agent:<name>`, a namespace of its own.
 */
export type { Actor };

const AGENT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/** The actor of a lab agent; its name is held to a plain alphabet so it cannot pose as another actor. */
export function agentActor(name: string): Actor {
  if (!AGENT_NAME.test(name)) throw new Error(`invalid agent name ${JSON.stringify(name)}`);
  return `agent:${name}`;
}

export interface CallContext {
  actor: Actor;
  /** Which of the Electron shell's own controls made the call (its tray menu, its global shortcut), if one did. */
  via?: 'tray' | 'shortcut';
}

export type Handler<N extends RequestName> = (
  input: ParsedInput<N>,
  ctx: CallContext,
) => Promise<RequestOutput<N>> | RequestOutput<N>;

export type Handlers = { [N in RequestName]: Handler<N> };

/** The handlers of one domain: the keys of its request map, each typed from the contract. */
export type DomainHandlers<R> = { [N in keyof R & RequestName]: Handler<N> };
