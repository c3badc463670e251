import type { z } from 'zod';

/**
 * A request: a runtime input schema (validated in main) and a compile-time output type.
 * `mutates` marks calls that change state; the dispatcher writes those to the audit log.
 */
export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly description: string;
  readonly mutates: boolean;
  /** Phantom field: carries the output type, never set at runtime. */
  readonly __output?: O;
}

export interface EventDef<P = unknown> {
  readonly description: string;
  readonly __payload?: P;
}

/** `request<Output>()({ input, description })`: curried so the input type is inferred, the output named. */
export function request<O>() {
  return <I extends z.ZodType>(def: { input: I; description: string; mutates?: boolean }): RequestDef<I, O> => ({
    input: def.input,
    description: def.description,
    mutates: def.mutates ?? false,
  });
}

export function event<P>(description: string): EventDef<P> {
  return { description };
}

export type RequestDefs = Record<string, RequestDef>;
export type EventDefs = Record<string, EventDef>;
