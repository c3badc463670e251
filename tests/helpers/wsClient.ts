import type WebSocket from 'ws';
import { connectNodeWs, newWebSocket, opened } from '../../electron/host/transports/nodeWsTransport';
import { createClient, type ContractClient } from '../../shared/contract/client';
import { decodeServerMessage } from '../../shared/contract/clientWire';

export interface WsReply {
  type: string;
  id?: string | number | null;
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  name?: string;
  payload?: unknown;
}

/**
 * A socket speaking the browser-mode protocol frame by frame, for tests of the protocol itself (malformed,
 * oversized, unknown messages) and of who may connect; collects replies in order. Tests that only make calls
 * use `connectClient`, the contract client every front end uses.
 */
export async function connectWs(url: string, headers: Record<string, string> = {}, protocols: string[] = []): Promise<{
  ws: WebSocket;
  send(data: string | Buffer, binary?: boolean): void;
  /** The next message; with `only`, the next one it accepts (others, like the monitor's samples, are dropped). */
  next(only?: (m: WsReply) => boolean): Promise<WsReply>;
  close(): void;
}> {
  const ws = newWebSocket(url, { headers, protocols });
  const inbox: WsReply[] = [];
  const waiters: ((m: WsReply) => void)[] = [];
  ws.on('message', (d) => {
    const m = decodeServerMessage(String(d));
    if (!m) throw new Error(`the server sent a frame that is not a message: ${String(d).slice(0, 80)}`);
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  await opened(ws);
  return {
    ws,
    send: (data, binary = false) => ws.send(data, { binary }),
    next: async (only) => {
      for (;;) {
        const m = inbox.shift() ?? (await new Promise<WsReply>((r) => waiters.push(r)));
        if (!only || only(m)) return m;
      }
    },
    close: () => ws.close(),
  };
}

/** The typed contract client over a Node WebSocket (as the CLI attaches to a running studio); close() ends it. */
export async function connectClient(url: string, headers: Record<string, string> = {}, protocols: string[] = []): Promise<ContractClient & { close(): void }> {
  const transport = await connectNodeWs(url, { headers, protocols });
  return { ...createClient(transport), close: transport.close };
}

/** The header a non-browser client (CLI, MCP, a script) presents its token with. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
