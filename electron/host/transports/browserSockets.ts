import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../../../shared/contract';
import type { Host } from '../createHost';
import type { Actor } from '../handlers/types';
import type { BrowserGate } from './browserGate';
import { parseCallMessage, type ServerMessage } from './envelope';

/** The WebSocket subprotocol of the contract; a browser sends its token as a second one, `church.token.<token>`. */
export const WS_PROTOCOL = 'church.v1';

/** Bytes queued for one WebSocket client past which it misses high-rate events, and past which it is dropped. */
const SEND_BUFFER_SOFT_LIMIT = 1 << 20;
const SEND_BUFFER_HARD_LIMIT = 16 << 20;
/** Events that a slow client can miss without harm: the next one supersedes them. */
const HIGH_RATE_EVENTS: ReadonlySet<string> = new Set(['monitor.sample', 'monitor.hostSample', 'jobs.progress', 'library.importProgress', 'stripe.progress']);

/**
 * The contract over WebSockets at /ws on `server`: calls go to the host's dispatcher as the credential's actor,
 * the host's events go to every client. `close` ends the clients and the event subscription.
 */
/** A client came or went (`church serve` logs it): the credential's actor and how many clients remain. */
export type ClientListener = (change: { actor: Actor; connected: boolean; clients: number }) => void;

export function attachSockets(server: Server, gate: BrowserGate, host: Pick<Host, 'dispatch' | 'events'>, onClient?: ClientListener): { close(): void } {
  // A little above the contract limit so an oversized call gets a typed reply instead of a dropped socket.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxMessageBytes * 4,
    // A browser fails the handshake unless one offered subprotocol is chosen; the token one is never echoed.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${gate.port}`);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    // Who acts follows from the credential alone, so the audit log's actor cannot be claimed by the client.
    const actor = gate.actorOf(req);
    if (url.pathname !== '/ws' || !gate.hostOk(req) || !gate.originOk(req) || !actor) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, actor));
  });

  wss.on('connection', (ws: WebSocket, actor: Actor) => {
    clients.add(ws);
    onClient?.({ actor, connected: true, clients: clients.size });
    ws.on('message', (data, isBinary) => answerCall(ws, actor, host, data, isBinary));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clients.delete(ws);
      onClient?.({ actor, connected: false, clients: clients.size });
    });
  });

  const unsubscribe = host.events.subscribe((name, payload) => broadcast(clients, name, payload));

  return {
    close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
    },
  };
}

/** One call message: parsed, dispatched as `actor`, answered on the same socket. */
function answerCall(ws: WebSocket, actor: Actor, host: Pick<Host, 'dispatch'>, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  const reply = (m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (isBinary) return reply({ type: 'result', id: null, result: { ok: false, error: { code: 'BAD_MESSAGE', message: 'binary messages are not accepted' } } });
  const parsed = parseCallMessage(raw);
  if (!parsed.ok) return reply({ type: 'result', id: parsed.id, result: parsed.result });
  const { id, name, input } = parsed.call;
  void host.dispatch(name, input, { actor }).then((result) => reply({ type: 'result', id, result }));
}

function broadcast(clients: ReadonlySet<WebSocket>, name: string, payload: unknown): void {
  const msg = JSON.stringify({ type: 'event', name, payload } satisfies ServerMessage);
  for (const ws of clients) {
    if (ws.readyState !== ws.OPEN) continue;
    // A client that stopped reading (a suspended `church monitor`, a frozen tab) must not grow main's memory:
    // past a soft limit it misses the high-rate events, past a hard one it is dropped.
    if (ws.bufferedAmount > SEND_BUFFER_HARD_LIMIT) {
      ws.terminate();
      continue;
    }
    if (ws.bufferedAmount > SEND_BUFFER_SOFT_LIMIT && HIGH_RATE_EVENTS.has(name)) continue;
    ws.send(msg);
  }
}
