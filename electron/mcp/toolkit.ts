import type { z } from 'zod';
import type { RequestInput, RequestName, RequestOutput } from '../../shared/contract';
import type { ContractClient } from '../../shared/contract/client';

export interface ToolContext {
  /** Calls the studio through the contract (the running app's services when it is open); throws ChurchError. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  /** The same studio as a contract client (events, following a job). */
  studio: ContractClient;
  /** Aborted when the client cancels the request (notifications/cancelled) or the connection closes. */
  signal: AbortSignal;
  /** Reports progress to a client that sent a progress token (a no-op otherwise); progress only ever grows. */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
}

export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** What an LLM needs to pick the tool and fill its arguments well. */
  description: string;
  input: S;
  /** The shape of the result (declared as outputSchema; the result is returned as structuredContent too). */
  output: z.ZodObject;
  readOnly: boolean;
  /** It may destroy or replace something (cancel a job, overwrite a track). */
  destructive?: boolean;
  /** Calling it again with the same arguments changes nothing more. */
  idempotent?: boolean;
  /** Returns a JSON object; throws ChurchError for a tool error the agent can act on. */
  run(args: z.output<S>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

export function defineTool<S extends z.ZodObject>(def: ToolDef<S>): ToolDef {
  return def as unknown as ToolDef;
}

export function makeToolContext(studio: ContractClient, extra: { signal?: AbortSignal; progress?: ToolContext['progress'] } = {}): ToolContext {
  return {
    studio,
    signal: extra.signal ?? new AbortController().signal,
    progress: extra.progress ?? (() => Promise.resolve()),
    call: studio.call,
  };
}
