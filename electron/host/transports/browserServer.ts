import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../../../shared/contract';
import { mediaKeyFromToken, mediaSignature, splitSignedPrefix } from '../../../shared/mediaSignature';
import { serveMedia } from '../../platform/mediaserve';
import type { Host } from '../createHost';
import type { Actor } from '../handlers/types';
import { actorForToken, newSecret, sameSecret } from './credentials';
import { parseCallMessage, type ServerMessage } from './envelope';

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

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
/** The WebSocket subprotocol of the contract; a browser sends its token as a second one, `church.token.<token>`. */
export const WS_PROTOCOL = 'church.v1';
const TOKEN_PROTOCOL_PREFIX = 'church.token.';

/** Bytes queued for one WebSocket client past which it misses high-rate events, and past which it is dropped. */
const SEND_BUFFER_SOFT_LIMIT = 1 << 20;
const SEND_BUFFER_HARD_LIMIT = 16 << 20;
/** Events that a slow client can miss without harm: the next one supersedes them. */
const HIGH_RATE_EVENTS: ReadonlySet<string> = new Set(['monitor.sample', 'monitor.hostSample', 'jobs.progress', 'library.importProgress', 'stripe.progress']);

/**
 * The token a client presents: a WebSocket subprotocol (what a browser can set) or an `Authorization: Bearer`
 * header (the CLI, MCP, scripts). Never a cookie: a browser sends 127.0.0.1's cookies to every port on it.
 */
function presentedToken(req: IncomingMessage): string | null {
  for (const p of (req.headers['sec-websocket-protocol'] ?? '').split(',')) {
    const v = p.trim();
    if (v.startsWith(TOKEN_PROTOCOL_PREFIX)) return v.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return auth ? auth[1]! : null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

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
  const mediaKey = mediaKeyFromToken(token);
  const uiRoot = normalize(opts.uiDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const hostOk = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '');
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };
  const actorOf = (req: IncomingMessage) => actorForToken(presentedToken(req), { webToken: token, attachKey });
  /** `~<exp>.<sig>/<kind>/<id>/…` with a valid, unexpired signature: the rest of the path; else null. */
  const signedMedia = (path: string): string | null => {
    const signed = splitSignedPrefix(path);
    if (!signed || signed.exp * 1000 < Date.now()) return null;
    const m = /^([a-z]+)\/([0-9]{1,15})(\/|$)/.exec(signed.rest);
    if (!m) return null;
    return sameSecret(signed.sig, mediaSignature(mediaKey, signed.exp, m[1]!, Number(m[2]))) ? signed.rest : null;
  };

  const serveStatic = (res: ServerResponse, pathname: string) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'the address is not valid percent-encoding');
    }
    const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = normalize(join(uiRoot, rel));
    if (!file.startsWith(uiRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      // Client-side routes fall back to the app page.
      if (!extname(rel)) return serveStatic(res, '/');
      return send(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      'content-type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    };
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostOk(req)) return send(res, 421, 'this server answers only to 127.0.0.1 and localhost');
      // Judge the path as sent: URL parsing would silently resolve "..", turning a traversal into another route.
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      if (/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\|%00/i.test(rawPath)) {
        return send(res, rawPath.startsWith('/media/') ? 400 : 404, 'paths are not accepted; media is addressed by library id');
      }
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname.startsWith('/media/')) {
        const path = url.pathname.slice('/media/'.length);
        const mediaPath = path.startsWith('~') ? signedMedia(path) : actorOf(req) ? path : null;
        if (mediaPath === null) return send(res, 401, 'this media link has expired or is not signed; reload the studio page');
        const request = new Request(url, { method: req.method, headers: { range: req.headers.range ?? '' } });
        const response = serveMedia(mediaPath, request, opts.host.resolveMedia);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (!response.body) return res.end(await response.text());
        Readable.fromWeb(response.body as NodeReadableStream).on('error', () => res.destroy()).pipe(res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      // The page and its assets hold no secret: the token (from the printed URL, kept in session storage by the
      // page) is what the WebSocket and media need.
      serveStatic(res, url.pathname);
    })().catch((e: unknown) => {
      console.error('browser server request failed', e);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });

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
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    // Who acts follows from the credential alone, so the audit log's actor cannot be claimed by the client.
    const actor = actorOf(req);
    if (url.pathname !== '/ws' || !hostOk(req) || !originOk(req) || !actor) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, actor));
  });

  wss.on('connection', (ws: WebSocket, actor: Actor) => {
    clients.add(ws);
    const reply = (m: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    ws.on('message', (data, isBinary) => {
      const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) return reply({ type: 'result', id: null, result: { ok: false, error: { code: 'BAD_MESSAGE', message: 'binary messages are not accepted' } } });
      const parsed = parseCallMessage(raw);
      if (!parsed.ok) return reply({ type: 'result', id: parsed.id, result: parsed.result });
      const { id, name, input } = parsed.call;
      void opts.host.dispatch(name, input, { actor }).then((result) => reply({ type: 'result', id, result }));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => clients.delete(ws));
  });

  const unsubscribe = opts.host.events.subscribe((name, payload) => {
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
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.removeAllListeners('error');
  // After listening, errors (EMFILE on accept, …) are logged; an unhandled 'error' event would end the process.
  server.on('error', (e) => console.error('browser server error', e));
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    attachKey,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
