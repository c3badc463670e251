import type { ChurchApi, EventName, EventPayload, RequestName, RequestInput, RequestOutput } from '../../../shared/contract';
import type { Result } from '../../../shared/errors';
import { FrameQueue } from './frameQueue';

type Pending = { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> };
type ServerMessage =
  | { type: 'result'; id: string | number | null; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown };

export const CALL_TIMEOUT_MS = 5 * 60_000;

/**
 * The contract over a WebSocket to `church serve`. Reconnects with backoff; calls made while the link is down
 * wait for it, and calls lost with a dropped link resolve to a typed error instead of hanging.
 */
export function createWsTransport(url: string, protocols: string[] = []): ChurchApi & { onStatus(cb: (connected: boolean) => void): () => void } {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let backoff = 250;
  const pending = new Map<number, Pending>();
  const queue = new FrameQueue();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const statusListeners = new Set<(c: boolean) => void>();

  const connect = () => {
    const sock = new WebSocket(url, protocols);
    ws = sock;
    sock.onopen = () => {
      backoff = 250;
      statusListeners.forEach((l) => l(true));
      queue.drain((frame) => sock.send(frame));
    };
    sock.onmessage = (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'event') listeners.get(msg.name)?.forEach((l) => l(msg.payload));
      else if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (p) {
          clearTimeout(p.timer);
          pending.delete(msg.id);
          p.resolve(msg.result);
        }
      }
    };
    sock.onclose = () => {
      statusListeners.forEach((l) => l(false));
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        // A call still queued was never sent: it is failed and taken out, so it cannot run after the UI said so.
        const message = queue.remove(id)
          ? 'could not reach the studio; the call was not sent (is church serve still running?)'
          : 'lost the connection to the studio; the call may not have completed';
        p.resolve({ ok: false, error: { code: 'UNAVAILABLE', message } });
        pending.delete(id);
      }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  };
  connect();

  return {
    invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>> {
      const id = nextId++;
      const frame = JSON.stringify({ id, name, input });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          // The caller is told it failed: the frame must not go out on a later reconnect.
          queue.remove(id);
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `${name} got no answer from the studio` } });
        }, CALL_TIMEOUT_MS);
        pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer });
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.add(id, frame);
      });
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onStatus(cb) {
      statusListeners.add(cb);
      // A listener added after the link opened (the app mounts after the recovery check's first call) hears it now.
      if (ws?.readyState === WebSocket.OPEN) cb(true);
      return () => statusListeners.delete(cb);
    },
  };
}
