import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../../../../shared/contract';
import { serveMedia } from '../../services/mediaserve';
import type { Host } from '../createHost';
import type { Actor } from '../handlers/types';
import { parseCallMessage, type ServerMessage } from './envelope';

export interface BrowserServerOptions {
  host: Host;
  /** The built renderer (out/renderer). */
  uiDir: string;
  port?: number;
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
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
const COOKIE = 'church_token';

/** Bytes queued for one WebSocket client past which it misses high-rate events, and past which it is dropped. */
const SEND_BUFFER_SOFT_LIMIT = 1 << 20;
const SEND_BUFFER_HARD_LIMIT = 16 << 20;
/** Events that a slow client can miss without harm: the next one supersedes them. */
const HIGH_RATE_EVENTS: ReadonlySet<string> = new Set(['monitor.sample', 'jobs.progress', 'library.importProgress', 'stripe.progress']);

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/**
 * `church serve`: the built UI and the contract over a WebSocket, on 127.0.0.1 only. A random token in the
 * printed URL is exchanged for an HttpOnly cookie; the Host and Origin headers are checked so another web
 * page (or a DNS-rebinding trick) cannot reach the studio.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const uiRoot = normalize(opts.uiDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const hostOk = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '');
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };
  const authorised = (req: IncomingMessage, url: URL) => sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token);

  const serveStatic = (res: ServerResponse, pathname: string, setCookie: boolean) => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(uiRoot, rel));
    if (!file.startsWith(uiRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      // Client-side routes fall back to the app page.
      if (!extname(rel)) return serveStatic(res, '/', setCookie);
      return send(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      'content-type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    };
    if (setCookie) headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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
        if (!authorised(req, url)) return send(res, 401, 'open the studio through the URL that `church serve` printed');
        const request = new Request(url, { method: req.method, headers: { range: req.headers.range ?? '' } });
        const response = serveMedia(url.pathname.slice('/media/'.length), request, opts.host.resolveMedia);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (!response.body) return res.end(await response.text());
        Readable.fromWeb(response.body as NodeReadableStream).on('error', () => res.destroy()).pipe(res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      const isPage = !extname(url.pathname) || url.pathname.endsWith('.html');
      if (isPage && !authorised(req, url)) {
        return send(res, 401, 'This studio needs its access token: open the full URL that `church serve` printed.');
      }
      serveStatic(res, url.pathname, isPage && sameToken(url.searchParams.get('token'), token));
    })().catch((e: unknown) => {
      console.error('browser server request failed', e);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });

  // A little above the contract limit so an oversized call gets a typed reply instead of a dropped socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxMessageBytes * 4 });
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
    if (url.pathname !== '/ws' || !hostOk(req) || !originOk(req) || !authorised(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    // The CLI and MCP attach with ?client=cli|mcp so the audit log says who acted; a browser page is 'web'.
    const client = url.searchParams.get('client');
    const actor: Actor = client === 'cli' || client === 'mcp' ? client : 'web';
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
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
