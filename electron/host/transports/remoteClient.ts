import WebSocket from 'ws';
import type { EventName } from '../../../shared/contract';
import { fail, type Result } from '../../../shared/errors';
import { attachToken, type AttachActor } from './credentials';
import type { ServerMessage } from './envelope';

export interface RemoteClient {
  dispatch(name: string, input: unknown): Promise<Result<unknown>>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
  close(): void;
}

/**
 * The contract over the loopback WebSocket of a running studio, for the CLI and `church mcp`: calls land in the
 * app's own services (one job engine, one avatar), and its events come back.
 */
/** How long a running studio may take to accept us and answer a ping before the caller works on its own. */
export const ATTACH_TIMEOUT_MS = 2000;

/** `attachKey` is the key of the instance file; the actor's own token is derived from it and sent as a header. */
export async function connectRemote(port: number, attachKey: string, actor: AttachActor): Promise<RemoteClient> {
  // A frozen main process still completes the TCP handshake (the kernel does); the timeouts make sure a frozen
  // studio cannot hold `church kill` hostage: the caller falls back to running the services itself.
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
    handshakeTimeout: ATTACH_TIMEOUT_MS,
    headers: { authorization: `Bearer ${attachToken(attachKey, actor)}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the running studio refused the connection (${res.statusCode})`)));
  });
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  ws.on('message', (data) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'event') listeners.get(msg.name)?.forEach((l) => l(msg.payload));
    else if (typeof msg.id === 'number') {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    }
  });
  ws.on('close', () => {
    for (const resolve of pending.values()) resolve(fail('UNAVAILABLE', 'the running studio closed the connection; the call may not have completed'));
    pending.clear();
  });
  ws.on('error', () => undefined);
  const client: RemoteClient = {
    dispatch: (name, input) =>
      new Promise((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve(fail('UNAVAILABLE', 'not connected to the running studio'));
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, name, input }));
      }),
    on: (name, listener) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    close: () => ws.close(),
  };
  const alive = await Promise.race([
    client.dispatch('system.ping', { echo: 'attach' }),
    new Promise<null>((r) => setTimeout(() => r(null), ATTACH_TIMEOUT_MS).unref()),
  ]);
  if (!alive?.ok) {
    ws.terminate();
    throw new Error('the running studio did not answer in time');
  }
  return client;
}
