import type { Result } from '../errors';

/**
 * The message framing of the contract over a WebSocket (`church serve`, the attach socket of a running studio),
 * shared by the browser and the Node transports so both read and write the same frames.
 */

/** server → client. */
export type ServerMessage =
  | { type: 'result'; id: string | number | null; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown };

/** Reads one frame from the server; null for anything that is not a JSON object (ignored, never thrown). */
export function decodeServerMessage(raw: string): ServerMessage | null {
  try {
    const msg: unknown = JSON.parse(raw);
    return msg && typeof msg === 'object' && !Array.isArray(msg) ? (msg as ServerMessage) : null;
  } catch {
    return null;
  }
}

/**
 * One connection's calls in flight and event listeners: numbers the calls, matches results to them by id and
 * hands events to their listeners. The socket itself (open, reconnect, send) stays with each transport.
 */
export interface WireSession {
  /** Registers a call; returns its id and the frame to send for it. */
  begin(name: string, input: unknown, resolve: (r: Result<unknown>) => void): { id: number; frame: string };
  /** Settles a call still in flight (a reply, a timeout, a dropped link); false when it had already settled. */
  settle(id: number, result: Result<unknown>): boolean;
  /** Ids of the calls in flight, oldest first. */
  inFlight(): number[];
  /** Handles one frame from the server. */
  receive(raw: string): void;
  on(name: string, listener: (payload: unknown) => void): () => void;
}

export function createWireSession(): WireSession {
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const settle = (id: number, result: Result<unknown>): boolean => {
    const resolve = pending.get(id);
    if (!resolve) return false;
    pending.delete(id);
    resolve(result);
    return true;
  };
  return {
    begin(name, input, resolve) {
      const id = nextId++;
      pending.set(id, resolve);
      return { id, frame: JSON.stringify({ id, name, input }) };
    },
    settle,
    inFlight: () => [...pending.keys()],
    receive(raw) {
      const msg = decodeServerMessage(raw);
      if (!msg) return;
      if (msg.type === 'event') listeners.get(msg.name)?.forEach((l) => l(msg.payload));
      // Our ids are numbers; a reply with another id answers a frame we did not send.
      else if (typeof msg.id === 'number') settle(msg.id, msg.result);
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
