/**
 * The one typed client of the contract, whatever carries it: the preload bridge, a WebSocket (browser or Node),
 * or the host's dispatcher in the same process. Call sites name a request and get its input and output types
 * from the contract definitions; a failed call throws the contract's typed error (ChurchError: code, message).
 */
import type { ChurchApi, EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../contract';
import type { Job } from '../dto/jobs';
import { ChurchError, type Result } from '../errors';
import { followJob, type FollowJobOptions } from './clientJobs';

export { FINISHED_JOB_STATUSES, isFinishedJobStatus, type FollowJobOptions } from './clientJobs';

/** What carries calls and events, untyped: the wire. The client puts the contract's types on it. */
export interface ContractTransport {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  on(name: string, listener: (payload: unknown) => void): () => void;
}

export interface ContractClient extends ChurchApi {
  /** The request's output; throws ChurchError carrying the contract's code and message when it fails. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  /** Follows a job until it has finished (done, failed, cancelled or interrupted) and resolves with it. */
  followJob(id: number, opts?: FollowJobOptions): Promise<Job>;
}

/** A transport that threw instead of answering (a preload bridge whose main process is gone). */
const NO_ANSWER = 'the studio did not answer; is it still running?';

export function createClient(transport: ContractTransport): ContractClient {
  const invoke = async <N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>> => {
    try {
      // The one place the output type is asserted: the contract names it, the dispatcher produced it.
      return (await transport.invoke(name, input)) as Result<RequestOutput<N>>;
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: NO_ANSWER } };
    }
  };
  const client: ContractClient = {
    invoke,
    async call(name, input) {
      const r = await invoke(name, input);
      if (r.ok) return r.value;
      throw new ChurchError(r.error.code, r.error.message, r.error.details);
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      return transport.on(name, listener as (payload: unknown) => void);
    },
    followJob: (id, opts) =>
      followJob({ get: (jobId) => invoke('jobs.get', { id: jobId }), onChanged: (l) => client.on('jobs.changed', l), onProgress: (l) => client.on('jobs.progress', l) }, id, opts),
  };
  return client;
}

/** The contract against the host's dispatcher in this process (the CLI and `church mcp` with no studio running). */
export function inProcessTransport(
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>,
  subscribe: (listener: (name: string, payload: unknown) => void) => () => void,
): ContractTransport {
  return {
    invoke: dispatch,
    on: (name, listener) => subscribe((n, payload) => n === name && listener(payload)),
  };
}

/** The preload bridge (`window.church`), typed by the contract already, as a transport. */
export function bridgeTransport(api: ChurchApi): ContractTransport {
  return {
    invoke: (name, input) => api.invoke(name as RequestName, input as RequestInput<RequestName>),
    on: (name, listener) => api.on(name as EventName, listener),
  };
}
