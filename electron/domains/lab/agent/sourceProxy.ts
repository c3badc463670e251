import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * ffmpeg reads a studio source through this loopback server, so its command line (what `ps` and
 * /proc/<pid>/cmdline show every user of the host) names `http://127.0.0.1:PORT/<random>` and never the signed
 * URL, which would work from anywhere on the lab network. A local name works only while its job runs, only on
 * this host, and on Linux only for this agent's own user (the connecting socket's owner, from /proc/net/tcp).
 */
export interface SourceProxy {
  /** A loopback URL standing for `url` until the returned remove() is called. */
  add(url: string): { local: string; remove(): void };
  close(): Promise<void>;
}

const PASSED_HEADERS = ['content-length', 'content-range', 'accept-ranges', 'content-type', 'last-modified', 'etag'];

/** /proc/net/tcp writes 127.0.0.1:5000 as 0100007F:1388. */
function procAddress(ip: string, port: number): string {
  const hex = ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
  return `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The uid owning the other end of a loopback connection (Linux), or null when it cannot be told. */
export function peerUid(socket: Pick<Socket, 'remoteAddress' | 'remotePort' | 'localAddress' | 'localPort'>, procNetTcp = '/proc/net/tcp'): number | null {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return null;
  const peer = procAddress(remoteAddress.replace(/^::ffff:/, ''), remotePort);
  const us = procAddress(localAddress.replace(/^::ffff:/, ''), localPort);
  let table: string;
  try {
    table = readFileSync(procNetTcp, 'utf8');
  } catch {
    return null;
  }
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === peer && f[2] === us) return Number(f[7]);
  }
  return null;
}

function sameUser(req: IncomingMessage): boolean {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return true;
  return peerUid(req.socket) === process.getuid();
}

async function forward(upstream: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const headers: Record<string, string> = {};
  if (req.headers.range) headers.range = req.headers.range;
  const up = await fetch(upstream, { method: req.method, headers, signal: abort.signal });
  const out: Record<string, string> = {};
  for (const h of PASSED_HEADERS) {
    const v = up.headers.get(h);
    if (v !== null) out[h] = v;
  }
  res.writeHead(up.status, out);
  if (!up.body || req.method === 'HEAD') return void res.end();
  Readable.fromWeb(up.body as NodeReadableStream).on('error', () => res.destroy()).pipe(res);
}

export async function startSourceProxy(): Promise<SourceProxy> {
  const routes = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const upstream = routes.get((req.url ?? '').slice(1));
    if (!upstream || (req.method !== 'GET' && req.method !== 'HEAD')) return void res.writeHead(404).end();
    if (!sameUser(req)) return void res.writeHead(403).end();
    forward(upstream, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    add(url) {
      const name = randomBytes(24).toString('base64url');
      routes.set(name, url);
      return { local: `http://127.0.0.1:${port}/${name}`, remove: () => void routes.delete(name) };
    },
    async close() {
      routes.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
