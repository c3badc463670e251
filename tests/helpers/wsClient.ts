import WebSocket from 'ws';

export interface WsReply {
  type: string;
  id?: string | number | null;
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  name?: string;
  payload?: unknown;
}

/** A plain `ws` client speaking the browser-mode protocol; collects replies in order. */
export async function connectWs(url: string, headers: Record<string, string> = {}, protocols: string[] = []): Promise<{
  ws: WebSocket;
  send(data: string | Buffer, binary?: boolean): void;
  /** The next message; with `only`, the next one it accepts (others, like the monitor's samples, are dropped). */
  next(only?: (m: WsReply) => boolean): Promise<WsReply>;
  close(): void;
}> {
  const ws = new WebSocket(url, protocols, { headers });
  const inbox: WsReply[] = [];
  const waiters: ((m: WsReply) => void)[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as WsReply;
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
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

/** The header a non-browser client (CLI, MCP, a script) presents its token with. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
