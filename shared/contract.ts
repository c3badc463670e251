/**
 * The one contract between the renderer (or any other client: CLI, browser mode, MCP) and the main process.
 * Each domain declares its requests and events in `shared/contract/<domain>.ts`; this file only joins them.
 * Adding a call means adding one entry in the domain file: preload, main and renderer types follow from it.
 */
import type { z } from 'zod';
import type { RequestDef, EventDef } from './contract/define';
import type { Result } from './errors';
import { systemRequests, systemEvents } from './contract/system';
import { killswitchRequests, killswitchEvents } from './contract/killswitch';
import { mcpRequests } from './contract/mcp';
import { libraryRequests, libraryEvents } from './contract/library';
import { jobsRequests, jobsEvents } from './contract/jobs';
import { monitorRequests, monitorEvents } from './contract/monitor';
import { stripeRequests, stripeEvents } from './contract/stripe';
import { avatarRequests, avatarEvents } from './contract/avatar';
import { backupRequests, backupEvents } from './contract/backup';
import { secretsRequests } from './contract/secrets';
import { labRequests } from './contract/lab';
import { recoveryRequests, recoveryEvents } from './contract/recovery';
import { auditRequests } from './contract/audit';

export const requests = {
  ...systemRequests,
  ...killswitchRequests,
  ...mcpRequests,
  ...libraryRequests,
  ...jobsRequests,
  ...monitorRequests,
  ...stripeRequests,
  ...avatarRequests,
  ...backupRequests,
  ...secretsRequests,
  ...labRequests,
  ...recoveryRequests,
  ...auditRequests,
} satisfies Record<string, RequestDef>;

export const events = {
  ...systemEvents,
  ...killswitchEvents,
  ...libraryEvents,
  ...jobsEvents,
  ...monitorEvents,
  ...stripeEvents,
  ...avatarEvents,
  ...backupEvents,
  ...recoveryEvents,
} satisfies Record<string, EventDef>;

export type Requests = typeof requests;
export type Events = typeof events;
export type RequestName = keyof Requests & string;
export type EventName = keyof Events & string;

/** What a caller passes: defaults may be omitted. */
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
/** What a handler receives: after validation, defaults filled in. */
export type ParsedInput<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = Requests[N] extends RequestDef<z.ZodType, infer O> ? O : never;
export type EventPayload<E extends EventName> = Events[E] extends EventDef<infer P> ? P : never;

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

/** The API every client sees, whatever carries it (preload bridge, WebSocket, in-process). */
export interface ChurchApi {
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Transport limits, shared so client and server agree. */
export const LIMITS = {
  /** Largest request message accepted, in bytes of its JSON form. */
  maxMessageBytes: 1024 * 1024,
} as const;

/** Names of the Electron IPC channels; there are exactly two. */
/** `pickFile`: the window's native file dialog (the shell's own, outside the contract: only a window has one). */
export const IPC_CHANNELS = { invoke: 'church:invoke', event: 'church:event', pickFile: 'church:pickFile' } as const;
