import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TransferServer } from '../../electron/domains/lab/transferServer';
import { decideSpace, diskHeadroomBytes } from '../../electron/domains/jobs/diskGuard';
import type { DiskRoom } from '../../electron/domains/jobs';
import { signUrlPath } from '../../electron/domains/lab/signing';
import { tempDir } from '../helpers/tempDir';

// The studio's transfer server over real HTTP on 127.0.0.1, as an agent (or anyone holding an upload URL) uses it.
const secret = Buffer.from('a-lab-secret-of-more-than-16-chars');
const MB = 1_000_000;
let server: TransferServer | null = null;

async function open(o: { now?: () => number; disk?: (dir: string) => DiskRoom | null } = {}): Promise<TransferServer> {
  server = new TransferServer({ secret, bindHost: '127.0.0.1', port: 0, advertiseHost: '127.0.0.1', ...o });
  await server.listen();
  return server;
}

/** PUT as the agent does (content-length declared), or streamed in pieces without one (chunked). */
async function put(url: string, bytes: number, declared = true): Promise<{ status: number; text: string } | { error: string }> {
  const zeros = new Uint8Array(MB);
  const body = declared
    ? new Blob(Array.from({ length: Math.ceil(bytes / MB) }, () => zeros))
    : new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes / MB; i++) c.enqueue(zeros);
          c.close();
        },
      });
  try {
    const r = await fetch(url, { method: 'PUT', body, duplex: 'half' } as RequestInit & { duplex: 'half' });
    return { status: r.status, text: await r.text() };
  } catch (e) {
    return { error: String((e as Error).cause ?? e) };
  }
}

afterEach(async () => {
  await server?.close();
  server = null;
});

describe('uploads to the studio are capped', () => {
  it('refuses an upload over its cap, declared or streamed, and keeps nothing of it', async () => {
    const dir = tempDir('church-transfer-');
    const s = await open();
    const target = join(dir, 'out.mp4');
    const { url } = s.outputUrl(target, { ttlMs: 60_000, maxBytes: 8 * MB });
    // The review sent 300 MB of zeros; 24 MB over an 8 MB cap shows the same.
    const declared = await put(url, 24 * MB);
    expect(declared).toMatchObject({ status: 413 });
    expect('text' in declared && declared.text).toMatch(/larger than this job may upload \(8(\.0)? MB/);
    const streamed = await put(url, 24 * MB, false);
    if ('status' in streamed) expect(streamed.status).toBe(413);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(await put(url, 4 * MB)).toMatchObject({ status: 201 });
    expect(s.received(s.outputUrl(target, { ttlMs: 1, maxBytes: 1 }).ticket)).toBe(false);
    expect(existsSync(target)).toBe(true);
  });

  it('refuses an upload the output’s disk has no room for, keeping the disk guard’s headroom, and records why', async () => {
    const dir = tempDir('church-transfer-disk-');
    // A large disk: 16 MiB kept free, so 20 MB free leaves about 3 MB for the upload.
    const s = await open({ disk: () => ({ freeBytes: 20 * MB, totalBytes: 1e12 }) });
    const { url, ticket } = s.outputUrl(join(dir, 'out.mp4'), { ttlMs: 60_000, maxBytes: 100 * MB });
    const r = await put(url, 8 * MB);
    expect(r).toMatchObject({ status: 507 });
    expect('text' in r && r.text).toMatch(new RegExp(`^the disk holding ${dir} has 20(\\.0)? MB free \\(16\\.8 MB kept free there\\), too little for this output`));
    expect('text' in r && r.text).not.toMatch(/studio's disk/);
    // The studio reads the refusal from here, whatever the agent makes of a cut-off connection.
    expect(s.refusal(ticket)).toEqual({ noSpace: true, message: expect.stringMatching(/^the disk holding/), freeBytes: 20 * MB, neededBytes: 8 * MB + diskHeadroomBytes(1e12) });
    expect(readdirSync(dir)).toEqual([]);
  });

  // Soak finding 2: the disk guard let a job start with 16 MiB to spare, the receiver wanted 64 MiB.
  it('takes any upload the disk guard counted room for (one rule for both)', async () => {
    for (const totalBytes of [24 * MB, 96 * MB, 1e12]) {
      const dir = tempDir('church-transfer-rule-');
      const estimate = { bytes: 4 * MB, basis: 'x' };
      const free = estimate.bytes + diskHeadroomBytes(totalBytes);
      expect(decideSpace(estimate, { freeBytes: free, totalBytes }, dir).ok).toBe(true);
      const s = await open({ disk: () => ({ freeBytes: free, totalBytes }) });
      const { url, ticket } = s.outputUrl(join(dir, 'out.mp4'), { ttlMs: 60_000, maxBytes: 100 * MB });
      expect(await put(url, estimate.bytes), `a ${totalBytes} B disk`).toMatchObject({ status: 201 });
      expect(s.refusal(ticket)).toBeNull();
      await s.close();
      server = null;
    }
  });
});

describe('transfer URLs expire with their ticket, whatever exp they carry', () => {
  it('refuses a source URL re-signed to expire in the year 2286 once the job’s time is up', async () => {
    let t = 1_000_000;
    const dir = tempDir('church-transfer-exp-');
    const s = await open({ now: () => t });
    const { url } = s.sourceUrl(join(dir, 'missing.mp4'), 60_000);
    const path = new URL(url).pathname;
    const forever = `${new URL(url).origin}${signUrlPath(secret, path, 9_999_999_999_999)}`;
    // Within the job's time: the ticket answers (404: the file is not there, but the URL passed).
    expect((await fetch(forever)).status).toBe(404);
    t += 61_000;
    const late = await fetch(forever);
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/expired/);
  });
});
