import type { ContractTransport } from '../../../shared/contract/client';
import { createWireSession } from '../../../shared/contract/clientWire';
import { FrameQueue } from './frameQueue';

export const CALL_TIMEOUT_MS = 5 * 60_000;

export interface BrowserWsTransport extends ContractTransport {
  onStatus(cb: (connected: boolean) => void): () => void;
}

/**
 * The contract over a WebSocket to `church serve`. Reconnects with backoff; calls made while the link is down
 * wait for it, and calls lost with a dropped link resolve to a typed error instead of hanging.
 */
export function createWsTransport(url: string, protocols: string[] = []): BrowserWsTransport {
  let ws: WebSocket | null = null;
  let backoff = 250;
  const session = createWireSession();
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const queue = new FrameQueue();
  const statusListeners = new Set<(c: boolean) => void>();

  const connect = () => {
    const sock = new WebSocket(url, protocols);
    ws = sock;
    sock.onopen = () => {
      backoff = 250;
      statusListeners.forEach((l) => l(true));
      queue.drain((frame) => sock.send(frame));
    };
    sock.onmessage = (ev) => session.receive(String(ev.data));
    sock.onclose = () => {
      statusListeners.forEach((l) => l(false));
      for (const id of session.inFlight()) {
        // A call still queued was never sent: it is failed and taken out, so it cannot run after the UI said so.
        const message = queue.remove(id)
          ? 'could not reach the studio; the call was not sent (is church serve still running?)'
          : 'lost the connection to the studio; the call may not have completed';
        session.settle(id, { ok: false, error: { code: 'UNAVAILABLE', message } });
      }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  };
  connect();

  return {
    invoke(name, input) {
      return new Promise((resolve) => {
        // Every way a call ends (reply, timeout, dropped link) goes through here and stops its timer.
        const { id, frame } = session.begin(name, input, (r) => {
          clearTimeout(timers.get(id));
          timers.delete(id);
          resolve(r);
        });
        timers.set(
          id,
          setTimeout(() => {
            // The caller is told it failed: the frame must not go out on a later reconnect.
            queue.remove(id);
            session.settle(id, { ok: false, error: { code: 'TIMEOUT', message: `${name} got no answer from the studio` } });
          }, CALL_TIMEOUT_MS),
        );
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.add(id, frame);
      });
    },
    on: session.on,
    onStatus(cb) {
      statusListeners.add(cb);
      // A listener added after the link opened (the app mounts after the recovery check's first call) hears it now.
      if (ws?.readyState === WebSocket.OPEN) cb(true);
      return () => statusListeners.delete(cb);
    },
  };
}
