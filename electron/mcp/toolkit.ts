import type { z } from 'zod';
import type { RequestInput, RequestName, RequestOutput } from '../../shared/contract';
import { ChurchError } from '../../shared/errors';
import type { StudioClient } from '../cli/command';

export interface ToolContext {
  /** Calls the studio through the contract (the running app's services when it is open); throws ChurchError. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  studio: StudioClient;
}

export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** What an LLM needs to pick the tool and fill its arguments well. */
  description: string;
  input: S;
  readOnly: boolean;
  /** Returns JSON-able data; throws ChurchError for a tool error the agent can act on. */
  run(args: z.output<S>, ctx: ToolContext): Promise<unknown>;
}

export function defineTool<S extends z.ZodObject>(def: ToolDef<S>): ToolDef {
  return def as unknown as ToolDef;
}

export function makeToolContext(studio: StudioClient): ToolContext {
  return {
    studio,
    async call(name, input) {
      const r = await studio.dispatch(name, input);
      if (!r.ok) throw new ChurchError(r.error.code, r.error.message, r.error.details);
      return r.value as RequestOutput<typeof name>;
    },
  };
}
