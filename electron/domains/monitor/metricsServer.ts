import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

export interface MetricsServerOptions {
  port: number;
  /** '127.0.0.1' by default; a LAN address or '0.0.0.0' / '::' on the owner's opt-in. */
  bindAddress?: string;
  /** Extra Host names accepted (what the lab's Prometheus has as its target); read per request. */
  hostNames?: () => readonly string[];
  /** The bearer token scrapes from other machines must send; read per request (null: none set). */
  token?: () => string | null;
  render: () => Promise<string>;
  contentType: string;
  /** Errors on the listening server (EMFILE on accept): logged by the caller, never thrown in main. */
  onError: (e: Error) => void;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** Only 127.0.0.1 and ::1 are "this machine" for the token: another loopback address stands for another host. */
function isThisMachine(peer: string | undefined): boolean {
  return peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
}

function sameSecret(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The host part of a Host header ("studio.lan:9101", "[fe80::1]:9101"), lower-cased, and its port. */
export function splitHostHeader(h: string): { host: string; port: number | null } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(h) ?? /^([^:]+)(?::(\d+))?$/.exec(h);
  if (!m) return { host: '', port: null };
  return { host: m[1]!.toLowerCase(), port: m[2] ? Number(m[2]) : null };
}

/**
 * The names a request may carry in its Host header: loopback names, this machine's name, the bind address (or,
 * bound to every interface, every address of this machine) and the names the owner added. A page on another site
 * whose DNS name was rebound to this machine sends its own name and is refused (421), token or not.
 */
export function allowedHostNames(bindAddress: string, extra: readonly string[], interfaces = networkInterfaces(), machine = hostname()): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '::1', machine.toLowerCase()]);
  if (WILDCARDS.has(bindAddress)) {
    for (const list of Object.values(interfaces)) for (const i of list ?? []) names.add(i.address.toLowerCase());
  } else names.add(bindAddress.toLowerCase());
  for (const n of extra) names.add(n.toLowerCase());
  return names;
}

export type ScrapeVerdict = { ok: true } | { ok: false; status: 401 | 421; message: string };

/** Host check first (DNS rebinding), then the bearer token for any peer other than this machine. Pure. */
export function judgeScrape(req: { host: string | undefined; authorization: string | undefined; peer: string | undefined }, opts: { port: number; allowed: Set<string>; token: string | null }): ScrapeVerdict {
  const { host, port } = splitHostHeader(req.host ?? '');
  if (!host || !opts.allowed.has(host) || (port !== null && port !== opts.port)) {
    return { ok: false, status: 421, message: `this endpoint does not answer to the name "${req.host ?? ''}": add it under Settings → Monitor → Prometheus → Host names if your Prometheus uses it\n` };
  }
  if (isThisMachine(req.peer)) return { ok: true };
  if (!opts.token) return { ok: false, status: 401, message: 'scrapes from other machines need a bearer token: set one under Settings → Monitor → Prometheus → Bearer token\n' };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.authorization ?? '');
  if (!m || !sameSecret(m[1]!, opts.token)) {
    return { ok: false, status: 401, message: 'missing or wrong bearer token: put the token in the scrape config (authorization: credentials)\n' };
  }
  return { ok: true };
}

/**
 * Serves GET /metrics; anything else is 404. Bound to loopback unless the owner chose another address; the Host
 * check and the token guard every request. After it listens, an error on the server goes to `onError`: without a
 * listener it would be thrown in the main process.
 */
export function startMetricsServer(opts: MetricsServerOptions): Promise<Server> {
  const bind = opts.bindAddress ?? '127.0.0.1';
  let cached: { at: number; names: Set<string> } | null = null;
  // Interfaces come and go (Wi-Fi, VPN): the list is rebuilt every 10 s, not per request.
  const allowed = () => {
    const now = Date.now();
    if (!cached || now - cached.at > 10_000) cached = { at: now, names: allowedHostNames(bind, opts.hostNames?.() ?? []) };
    return cached.names;
  };
  const server = createServer((req: IncomingMessage, res) => {
    const verdict = judgeScrape(
      { host: req.headers.host, authorization: req.headers.authorization, peer: req.socket.remoteAddress },
      { port: opts.port, allowed: allowed(), token: opts.token?.() ?? null },
    );
    if (!verdict.ok) {
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      if (verdict.status === 401) headers['www-authenticate'] = 'Bearer realm="church-metrics"';
      res.writeHead(verdict.status, headers).end(verdict.message);
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    opts.render().then(
      (body) => res.writeHead(200, { 'content-type': opts.contentType }).end(body),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(e as Error).message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, bind, () => {
      server.off('error', reject);
      server.on('error', opts.onError);
      resolve(server);
    });
  });
}

