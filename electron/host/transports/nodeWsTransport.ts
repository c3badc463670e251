import WebSocket from 'ws';
import type { ContractTransport } from '../../../shared/contract/client';
import { createWireSession } from '../../../shared/contract/clientWire';
import { fail } from '../../../shared/errors';

export interface WebSocketOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  /** Gives up on a server that accepts TCP but never completes the upgrade. */
  handshakeTimeout?: number;
}

/** Starts connecting; attach the message listeners before awaiting `opened`, so no frame after the upgrade is missed. */
export function newWebSocket(url: string, opts: WebSocketOptions = {}): WebSocket {
  return new WebSocket(url, opts.protocols ?? [], { headers: opts.headers ?? {}, ...(opts.handshakeTimeout === undefined ? {} : { handshakeTimeout: opts.handshakeTimeout }) });
}

/** Resolves once the socket is open; rejects when it cannot connect or the server refuses the upgrade (the message names the status). */
export function opened(ws: WebSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the server refused the connection (${res.statusCode})`)));
  });
}

export interface NodeWsTransport extends ContractTransport {
  close(): void;
  /** Drops the connection at once, without the closing handshake (a peer that stopped answering). */
  terminate(): void;
}

/** The contract over a Node WebSocket (the CLI and `church mcp` attached to a running studio, tests); calls before it is open fail. */
export function nodeWsTransport(ws: WebSocket): NodeWsTransport {
  const session = createWireSession();
  ws.on('message', (data) => session.receive(String(data)));
  ws.on('close', () => {
    for (const id of session.inFlight()) session.settle(id, fail('UNAVAILABLE', 'the running studio closed the connection; the call may not have completed'));
  });
  ws.on('error', () => undefined);
  return {
    invoke: (name, input) =>
      new Promise((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve(fail('UNAVAILABLE', 'not connected to the running studio'));
        ws.send(session.begin(name, input, resolve).frame);
      }),
    on: session.on,
    close: () => ws.close(),
    terminate: () => ws.terminate(),
  };
}

export async function connectNodeWs(url: string, opts: WebSocketOptions = {}): Promise<NodeWsTransport> {
  const ws = newWebSocket(url, opts);
  const transport = nodeWsTransport(ws);
  await opened(ws);
  return transport;
}
