import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { parseRange } from '../../platform/mediaserve/serveMedia';
import { signUrlPath, verifyUrlPath } from './signing';

/**
 * Moves files between the studio and agents that do not share storage: an agent's ffmpeg reads a source by a
 * short-lived signed URL (range requests, so it can seek to the MP4 index), and the agent uploads the output by
 * another one. URLs name an opaque ticket, never a path; a ticket exists only while its job runs here.
 */
export interface TransferServerOptions {
  secret: Buffer;
  /** Where to listen: '0.0.0.0' for a lab (every request needs a signed URL), 127.0.0.1 in tests. */
  bindHost: string;
  port: number;
  /** The host name agents use to reach this one. */
  advertiseHost: string;
  ttlMs: number;
}

interface SourceTicket {
  kind: 'source';
  path: string;
}
interface OutputTicket {
  kind: 'output';
  /** The engine's temp path: the upload lands here (through a .part name) and the engine checks it as a local run's. */
  target: string;
  received: boolean;
}

export class TransferServer {
  private server: Server | null = null;
  private readonly tickets = new Map<string, SourceTicket | OutputTicket>();
  private base = '';

  constructor(private readonly opts: TransferServerOptions) {}

  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.bindHost, () => resolve());
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    this.base = `http://${this.opts.advertiseHost.includes(':') ? `[${this.opts.advertiseHost}]` : this.opts.advertiseHost}:${port}`;
  }

  sourceUrl(path: string): { url: string; ticket: string } {
    const ticket = randomBytes(18).toString('base64url');
    this.tickets.set(ticket, { kind: 'source', path });
    return { url: this.sign(`/lab/source/${ticket}`), ticket };
  }

  outputUrl(target: string): { url: string; ticket: string } {
    const ticket = randomBytes(18).toString('base64url');
    this.tickets.set(ticket, { kind: 'output', target, received: false });
    return { url: this.sign(`/lab/output/${ticket}`), ticket };
  }

  /** Whether an upload completed for this ticket. */
  received(ticket: string): boolean {
    const t = this.tickets.get(ticket);
    return t?.kind === 'output' && t.received;
  }

  drop(ticket: string): void {
    this.tickets.delete(ticket);
  }

  private sign(path: string): string {
    return this.base + signUrlPath(this.opts.secret, path, Date.now() + this.opts.ttlMs);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lab');
    const m = /^\/lab\/(source|output)\/([\w-]{10,64})$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    if (!verifyUrlPath(this.opts.secret, url.pathname, url.searchParams.get('exp'), url.searchParams.get('sig'))) {
      return void res.writeHead(403, { 'content-type': 'text/plain' }).end('signature missing, wrong or expired\n');
    }
    const ticket = this.tickets.get(m[2]!);
    if (!ticket || ticket.kind !== m[1]) return void res.writeHead(404).end();
    if (ticket.kind === 'source') return this.serveSource(ticket, req, res);
    if (req.method !== 'PUT') return void res.writeHead(405, { allow: 'PUT' }).end();
    const part = `${ticket.target}.part-${randomBytes(4).toString('hex')}`;
    try {
      await pipeline(req, createWriteStream(part, { mode: 0o600 }));
      // A ticket dropped meanwhile (its result is being checked against the file in place): nothing lands late.
      if (this.tickets.get(m[2]!) !== ticket) {
        rmSync(part, { force: true });
        return void res.writeHead(410).end();
      }
      // Whichever upload of a job completes last wins the rename; the engine checks the file before keeping it.
      renameSync(part, ticket.target);
      ticket.received = true;
      res.writeHead(201).end();
    } catch {
      rmSync(part, { force: true });
      if (!res.headersSent) res.writeHead(500).end();
    }
  }

  private serveSource(ticket: SourceTicket, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    let size: number;
    try {
      size = statSync(ticket.path).size;
    } catch {
      return void res.writeHead(404).end();
    }
    const range = parseRange(req.headers.range ?? null, size);
    if (range === 'invalid') return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    const headers: Record<string, string | number> = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
      headers['content-length'] = range.end - range.start + 1;
      res.writeHead(206, headers);
    } else {
      headers['content-length'] = size;
      res.writeHead(200, headers);
    }
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(ticket.path, range ? { start: range.start, end: range.end } : {});
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
