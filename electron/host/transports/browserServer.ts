import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalize } from 'node:path';
import type { Host } from '../createHost';
import { BrowserGate } from './browserGate';
import { httpHandler } from './browserHttp';
import { attachSockets, type ClientListener } from './browserSockets';
import { newSecret } from './credentials';

export interface BrowserServerOptions {
  /** The host, or the RecoverableStudio that stands for it (the recovery screen, a restore that re-creates it). */
  host: Pick<Host, 'dispatch' | 'resolveMedia' | 'events'>;
  /** The built renderer (out/renderer). */
  uiDir: string;
  port?: number;
  /** The browser page's token (printed in the URL); random when not given. */
  token?: string;
  /** The key the CLI's and MCP's own tokens derive from (see credentials.ts); random when not given. */
  attachKey?: string;
  /** Told when a WebSocket client connects or disconnects (the log of `church serve`). */
  onClient?: ClientListener;
}

export interface BrowserServer {
  url: string;
  port: number;
  /** The browser page's token: the full contract, as actor 'web'. */
  token: string;
  /** Published in the owner-only instance file; `church` and `church mcp` derive their tokens from it. */
  attachKey: string;
  close(): Promise<void>;
}

export { WS_PROTOCOL } from './browserSockets';

/**
 * `church serve`: the built UI and the contract over a WebSocket, on 127.0.0.1 only. The page keeps the token
 * of the printed URL in session storage and presents it as a WebSocket subprotocol; media is loaded through
 * short-lived signed URLs. The Host and Origin headers are checked so another web page (or a DNS-rebinding
 * trick) cannot reach the studio. Each credential maps to one actor: the page's token to 'web', the CLI's and
 * MCP's derived tokens to 'cli' and 'mcp'.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? newSecret();
  const attachKey = opts.attachKey ?? newSecret();
  const gate = new BrowserGate({ webToken: token, attachKey });
  const server = createServer(httpHandler({ gate, host: opts.host, uiRoot: normalize(opts.uiDir) }));
  const sockets = attachSockets(server, gate, opts.host, opts.onClient);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.removeAllListeners('error');
  // After listening, errors (EMFILE on accept, …) are logged; an unhandled 'error' event would end the process.
  server.on('error', (e) => console.error('browser server error', e));
  const port = (server.address() as AddressInfo).port;
  gate.port = port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    attachKey,
    async close() {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
