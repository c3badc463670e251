import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Real HTTP servers on 127.0.0.1 that answer push requests the way ntfy, Gotify and a generic webhook receiver
 * document them, refusing what those servers refuse (a bad priority, a missing message, a wrong token), and
 * recording what they accepted. `mode` makes one misbehave: answer 500, or hold the request and never answer.
 */
export type ReceiverKind = 'ntfy' | 'gotify' | 'webhook';
export type ReceiverMode = 'ok' | 'error500' | 'hang';

export interface ReceivedPush {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** ntfy: the decoded Title, Priority (1–5), Tags and who logged in. */
  ntfy?: { topic: string; title: string | null; priority: number; tags: string[]; auth: string | null };
  /** Gotify: the parsed message and the token it came with. */
  gotify?: { title: string | null; message: string; priority: number | null; token: string };
  /** webhook: the parsed JSON. */
  json?: unknown;
}

export interface PushReceiver {
  url: string;
  port: number;
  received: ReceivedPush[];
  /** Requests seen in any mode, refused or not (a hung one is counted when it arrives). */
  arrived: number;
  setMode(m: ReceiverMode): void;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** ntfy: an access token (Bearer) or user:password (Basic) the topic needs. Gotify: the application token. */
  token?: string;
  user?: string;
  mode?: ReceiverMode;
}

const NTFY_PRIORITIES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };

/** RFC 2047 encoded words (=?UTF-8?B?…?= and ?Q?), as ntfy decodes its Title header. */
export function decodeRfc2047(v: string): string {
  return v.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function ntfyAuth(req: IncomingMessage, o: ReceiverOptions): { ok: boolean; who: string | null } {
  const h = req.headers.authorization ?? '';
  if (h.startsWith('Bearer ')) return { ok: !o.token || (!o.user && h.slice(7) === o.token), who: 'token' };
  if (h.startsWith('Basic ')) {
    const [user, ...pw] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':');
    return { ok: !o.token || (user === o.user && pw.join(':') === o.token), who: user ?? null };
  }
  return { ok: !o.token, who: null };
}

function handleNtfy(req: IncomingMessage, res: ServerResponse, r: ReceivedPush, o: ReceiverOptions): ReceivedPush | null {
  const topic = r.path.slice(1);
  if (!['POST', 'PUT'].includes(r.method) || !/^[-_A-Za-z0-9]{1,64}$/.test(topic)) return json(res, 404, { code: 40401, http: 404, error: 'page not found' }), null;
  const auth = ntfyAuth(req, o);
  if (!auth.ok) return json(res, auth.who === null ? 401 : 403, { code: 40301, http: 403, error: 'forbidden' }), null;
  const p = String(req.headers.priority ?? req.headers['x-priority'] ?? '3').toLowerCase();
  const priority = /^[1-5]$/.test(p) ? Number(p) : NTFY_PRIORITIES[p];
  if (priority === undefined) return json(res, 400, { code: 40007, http: 400, error: 'invalid priority' }), null;
  const title = req.headers.title ?? req.headers['x-title'];
  const tags = String(req.headers.tags ?? req.headers['x-tags'] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  r.ntfy = { topic, title: typeof title === 'string' ? decodeRfc2047(title) : null, priority, tags, auth: auth.who };
  json(res, 200, { id: 'x1', time: 1, event: 'message', topic, message: r.body, title: r.ntfy.title, priority, tags });
  return r;
}

function handleGotify(req: IncomingMessage, res: ServerResponse, r: ReceivedPush, o: ReceiverOptions): ReceivedPush | null {
  if (r.method !== 'POST' || r.path !== '/message') return json(res, 404, { error: 'Not Found', errorCode: 404, errorDescription: 'page not found' }), null;
  const token = String(req.headers['x-gotify-key'] ?? r.query.get('token') ?? '');
  if (!token || (o.token && token !== o.token)) return json(res, 401, { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token or user credentials to access this api' }), null;
  let msg: { title?: unknown; message?: unknown; priority?: unknown };
  try {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new Error('not json');
    msg = JSON.parse(r.body) as typeof msg;
  } catch {
    return json(res, 400, { error: 'Bad Request', errorCode: 400, errorDescription: 'invalid JSON' }), null;
  }
  if (typeof msg.message !== 'string' || msg.message === '') return json(res, 400, { error: 'Bad Request', errorCode: 400, errorDescription: "Field 'message' is required" }), null;
  if (msg.priority !== undefined && !Number.isInteger(msg.priority)) return json(res, 400, { error: 'Bad Request', errorCode: 400, errorDescription: "Field 'priority' must be an integer" }), null;
  r.gotify = { title: typeof msg.title === 'string' ? msg.title : null, message: msg.message, priority: (msg.priority as number | undefined) ?? null, token };
  json(res, 200, { id: 1, appid: 1, message: msg.message, title: r.gotify.title, priority: r.gotify.priority, date: new Date().toISOString() });
  return r;
}

function handleWebhook(req: IncomingMessage, res: ServerResponse, r: ReceivedPush): ReceivedPush | null {
  if (r.method !== 'POST') return res.writeHead(405).end(), null;
  if (req.headers['content-type'] !== 'application/json') return res.writeHead(415).end('expected application/json'), null;
  try {
    r.json = JSON.parse(r.body);
  } catch {
    return res.writeHead(400).end('the body is not JSON'), null;
  }
  res.writeHead(204).end();
  return r;
}

export async function startPushReceiver(kind: ReceiverKind, o: ReceiverOptions = {}): Promise<PushReceiver> {
  let mode: ReceiverMode = o.mode ?? 'ok';
  const received: ReceivedPush[] = [];
  const hung = new Set<ServerResponse>();
  const state = { arrived: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.arrived++;
      if (mode === 'hang') return void hung.add(res);
      if (mode === 'error500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error: the disk is full\n');
      const u = new URL(req.url ?? '/', 'http://x');
      const r: ReceivedPush = { method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const kept = kind === 'ntfy' ? handleNtfy(req, res, r, o) : kind === 'gotify' ? handleGotify(req, res, r, o) : handleWebhook(req, res, r);
      if (kept) received.push(kept);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get arrived() {
      return state.arrived;
    },
    setMode: (m) => (mode = m),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
