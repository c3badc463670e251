import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import { createClient, type ContractClient } from '../../../shared/contract/client';
import type { AppError } from '../../../shared/errors';
import { pickTransport, type Transport } from './transport';

let transport: Transport | null = null;
let client: ContractClient | null = null;

export function getTransport(): Transport {
  return (transport ??= pickTransport());
}

function getClient(): ContractClient {
  return (client ??= createClient(getTransport().api));
}

/** Tells the person about a failed call; the app sets it at start (lib/ knows no app state, such as its toasts). */
export type CallFailureReporter = (name: RequestName, error: AppError) => void;

let reportFailure: CallFailureReporter = () => undefined;

export function setCallFailureReporter(report: CallFailureReporter): void {
  reportFailure = report;
}

/** A failed call, carrying the typed error from main. */
export class CallError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/** Calls the contract; on failure reports it (a toast with main's readable message) unless quiet, and throws CallError. */
export async function call<N extends RequestName>(name: N, input: RequestInput<N>, opts: { quiet?: boolean } = {}): Promise<RequestOutput<N>> {
  const result = await getClient().invoke(name, input);
  if (result.ok) return result.value;
  if (!opts.quiet) reportFailure(name, result.error);
  throw new CallError(result.error);
}

export function subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  return getClient().on(name, listener);
}
