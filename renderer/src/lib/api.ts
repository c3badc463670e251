import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { hintFor, useToasts } from './stores/toasts';
import { personMessage } from './personWords';
import { pickTransport, type Transport } from './transport';

let transport: Transport | null = null;

export function getTransport(): Transport {
  return (transport ??= pickTransport());
}

/** A failed call, carrying the typed error from main. */
export class CallError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/** Calls the contract; on failure shows a toast with main's readable message and throws CallError. */
export async function call<N extends RequestName>(name: N, input: RequestInput<N>, opts: { quiet?: boolean } = {}): Promise<RequestOutput<N>> {
  let result;
  try {
    result = await getTransport().api.invoke(name, input);
  } catch {
    result = { ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'the studio did not answer; is it still running?' } };
  }
  if (result.ok) return result.value;
  if (!opts.quiet) {
    // A validation error is told in the UI's words; the code (and main's message, in the error) stay as they are.
    const person = result.error.code === 'INVALID_INPUT' ? personMessage(name, result.error.details) : null;
    useToasts.getState().push({ level: 'error', message: person ?? result.error.message, code: result.error.code, hint: person ? undefined : hintFor(result.error.code) });
  }
  throw new CallError(result.error);
}

export function subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  return getTransport().api.on(name, listener);
}
