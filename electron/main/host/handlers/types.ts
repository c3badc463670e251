import type { ParsedInput, RequestName, RequestOutput } from '../../../../shared/contract';

/** Who is calling: recorded in the audit log. */
export type Actor = 'ui' | 'web' | 'cli' | 'mcp' | 'system';

export interface CallContext {
  actor: Actor;
}

export type Handler<N extends RequestName> = (
  input: ParsedInput<N>,
  ctx: CallContext,
) => Promise<RequestOutput<N>> | RequestOutput<N>;

export type Handlers = { [N in RequestName]: Handler<N> };

/** The handlers of one domain: the keys of its request map, each typed from the contract. */
export type DomainHandlers<R> = { [N in keyof R & RequestName]: Handler<N> };
