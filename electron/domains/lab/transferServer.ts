import { createReadStream, createWriteStream, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { parseRange } from '../../platform/mediaserve/serveMedia';
import { fmtBytes } from '../../../shared/format/bytes';
import { diskHeadroomBytes, type DiskRoom } from '../jobs';
import { signUrlPath, verifyUrlPath } from './signing';

/**
 * Moves files between the studio and agents that do not share storage: an agent's ffmpeg reads a source by a
 * short-lived signed URL (range requests, so it can seek to the MP4 index), and the agent uploads the output by
 * another one. URLs name an opaque ticket, never a path; a ticket exists only while its job runs here, and only
 * until its own expiry (whatever `exp` a URL carries: the server caps it). An upload is held to its ticket's size
 * cap and to the free space of the output's disk, less the headroom the job's disk guard keeps there (one rule:
 * a job the guard let start is not refused here for room it was counted to have).
 */
export interface TransferServerOptions {
  secret: Buffer;
  /** Where to listen: '0.0.0.0' for a lab (every request needs a signed URL), 127.0.0.1 in tests. */
  bindHost: string;
  port: number;
  /** The host name agents use to reach this one. */
  advertiseHost: string;
  /** Clock and the room on a folder's disk (null: unknown); tests stand in for them. */
  now?: () => number;
  disk?: (dir: string) => DiskRoom | null;
}

interface SourceTicket {
  kind: 'source';
  path: string;
  expires: number;
}
interface OutputTicket {
  kind: 'output';
  /** The engine's temp path: the upload lands here (through a .part name) and the engine checks it as a local run's. */
  target: string;
  expires: number;
  maxBytes: number;
  received: boolean;
  /** Why an upload was refused (the studio's words): the job reads it, not the agent's retelling. */
  refused: UploadRefusal | null;
}

/** An upload the studio refused: for room on the output's disk (the job waits for space), or over its cap. */
export interface UploadRefusal {
  noSpace: boolean;
  message: string;
  /** For a refusal for room: the disk's free bytes then, and what the upload needed (its size and the headroom). */
  freeBytes: number | null;
  neededBytes: number | null;
}

function diskRoomNow(dir: string): DiskRoom | null {
  try {
    const s = statfsSync(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

class TooLarge extends Error {
  constructor(readonly status: 413 | 507, message: string) {
    super(message);
  }
}

/** Counts an upload's bytes as they pass and stops it at the limit, before the disk fills. */
function limitTo(limit: { bytes: number; status: 413 | 507; message: string }): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (seen > limit.bytes) cb(new TooLarge(limit.status, limit.message));
      else cb(null, chunk);
    },
  });
}

export class TransferServer {
  private server: Server | null = null;
  private readonly tickets = new Map<string, SourceTicket | OutputTicket>();
  private base = '';
  private readonly now: () => number;

  constructor(private readonly opts: TransferServerOptions) {
    this.now = opts.now ?? Date.now;
  }

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

  /** A source's URL, good for ttlMs (the job's own timeout). */
  sourceUrl(path: string, ttlMs: number): { url: string; ticket: string } {
    const ticket = randomBytes(18).toString('base64url');
    const expires = this.now() + ttlMs;
    this.tickets.set(ticket, { kind: 'source', path, expires });
    return { url: this.sign(`/lab/source/${ticket}`, expires), ticket };
  }

  /** The upload's URL, good for ttlMs, taking at most maxBytes. */
  outputUrl(target: string, o: { ttlMs: number; maxBytes: number }): { url: string; ticket: string } {
    const ticket = randomBytes(18).toString('base64url');
    const expires = this.now() + o.ttlMs;
    this.tickets.set(ticket, { kind: 'output', target, expires, maxBytes: o.maxBytes, received: false, refused: null });
    return { url: this.sign(`/lab/output/${ticket}`, expires), ticket };
  }

  /** Whether an upload completed for this ticket. */
  received(ticket: string): boolean {
    const t = this.tickets.get(ticket);
    return t?.kind === 'output' && t.received;
  }

  /** Why the last upload for this ticket was refused, if it was. */
  refusal(ticket: string): UploadRefusal | null {
    const t = this.tickets.get(ticket);
    return t?.kind === 'output' ? t.refused : null;
  }

  drop(ticket: string): void {
    this.tickets.delete(ticket);
  }

  private sign(path: string, expires: number): string {
    return this.base + signUrlPath(this.opts.secret, path, expires);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lab');
    const m = /^\/lab\/(source|output)\/([\w-]{10,64})$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    const now = this.now();
    if (!verifyUrlPath(this.opts.secret, url.pathname, url.searchParams.get('exp'), url.searchParams.get('sig'), now)) {
      return void res.writeHead(403, { 'content-type': 'text/plain' }).end('signature missing, wrong or expired\n');
    }
    const ticket = this.tickets.get(m[2]!);
    if (!ticket || ticket.kind !== m[1]) return void res.writeHead(404).end();
    // The ticket's own expiry, set here: a URL signed with a later `exp` (anyone holding the secret can) gains nothing.
    if (now > ticket.expires) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('this transfer URL has expired (the job ran past its time); retry the job\n');
    if (ticket.kind === 'source') return this.serveSource(ticket, req, res);
    if (req.method !== 'PUT') return void res.writeHead(405, { allow: 'PUT' }).end();
    return this.receive(m[2]!, ticket, req, res);
  }

  /** The upload's limit: the ticket's cap, or less when the output's disk would keep under its headroom. */
  private limitFor(ticket: OutputTicket): { bytes: number; status: 413 | 507; message: string; freeBytes: number | null; headroom: number } {
    const dir = dirname(ticket.target);
    const disk = (this.opts.disk ?? diskRoomNow)(dir);
    const headroom = diskHeadroomBytes(disk?.totalBytes ?? null);
    const room = disk === null ? Infinity : Math.max(0, disk.freeBytes - headroom);
    if (room < ticket.maxBytes) {
      return { bytes: room, status: 507, freeBytes: disk?.freeBytes ?? null, headroom, message: `the disk holding ${dir} has ${fmtBytes(disk?.freeBytes ?? 0)} free (${fmtBytes(headroom)} kept free there), too little for this output; free some space there, then retry the job\n` };
    }
    return { bytes: ticket.maxBytes, status: 413, freeBytes: disk?.freeBytes ?? null, headroom, message: `the output is larger than this job may upload (${fmtBytes(ticket.maxBytes)}, from the studio's estimate of its size); check the preset's bitrate, or run the job on the studio\n` };
  }

  private async receive(id: string, ticket: OutputTicket, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const limit = this.limitFor(ticket);
    const declared = Number(req.headers['content-length'] ?? NaN);
    const refuse = (status: number, message: string): void => {
      const noSpace = status === 507;
      ticket.refused = { noSpace, message: message.trim(), freeBytes: noSpace ? limit.freeBytes : null, neededBytes: noSpace && Number.isFinite(declared) ? declared + limit.headroom : null };
      // Said before (or instead of) reading the rest; the connection closes so the agent stops sending.
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(message);
      res.once('finish', () => req.destroy());
    };
    if (Number.isFinite(declared) && declared > limit.bytes) return refuse(limit.status, limit.message);
    const part = `${ticket.target}.part-${randomBytes(4).toString('hex')}`;
    const file = createWriteStream(part, { mode: 0o600 });
    const limiter = limitTo(limit);
    try {
      await new Promise<void>((resolve, reject) => {
        req.once('error', reject);
        limiter.once('error', reject);
        file.once('error', reject);
        req.once('aborted', () => reject(new Error('the upload was cut off')));
        file.once('finish', resolve);
        req.pipe(limiter).pipe(file);
      });
      // A ticket dropped meanwhile (its result is being checked against the file in place): nothing lands late.
      if (this.tickets.get(id) !== ticket) {
        rmSync(part, { force: true });
        return void res.writeHead(410).end();
      }
      // Whichever upload of a job completes last wins the rename; the engine checks the file before keeping it.
      renameSync(part, ticket.target);
      ticket.received = true;
      ticket.refused = null;
      res.writeHead(201).end();
    } catch (e) {
      req.unpipe(limiter);
      file.destroy();
      rmSync(part, { force: true });
      if (res.headersSent) return;
      if (e instanceof TooLarge) refuse(e.status, e.message);
      else res.writeHead(500).end();
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
