import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../../electron/host/transports/browserServer';
import { hostTransport } from '../../electron/host/transports/inProcess';
import { createClient, FINISHED_JOB_STATUSES, type ContractClient } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import type { PingReply } from '../../shared/dto/system';
import { ChurchError } from '../../shared/errors';
import { testHost } from '../helpers/host';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectClient } from '../helpers/wsClient';

// The one contract client over the two transports a Node front end uses: the host's dispatcher in this process
// (the CLI and MCP with no studio running) and a WebSocket to a running studio (attached).

const host = testHost({ startEngines: false });
let videoId = 0;
let server: BrowserServer;
let remote: ContractClient & { close(): void };

beforeAll(async () => {
  const media = tempDir('church-client-media-');
  await makeClip(join(media, 'clip.mp4'), { seconds: 1 });
  const local = createClient(hostTransport(host, 'cli'));
  await local.call('library.import', { paths: [media], assets: false });
  videoId = (await local.call('library.search', {})).items[0]!.id;
  const uiDir = tempDir('church-client-ui-');
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');
  server = await startBrowserServer({ host, uiDir });
  remote = await connectClient(`ws://127.0.0.1:${server.port}/ws`, bearer(server.token));
});
afterAll(async () => {
  remote?.close();
  await server?.close();
});

/** The next event of a name, with the client's own subscription (unsubscribed once it arrived). */
function nextNotice(client: ContractClient): Promise<string> {
  return new Promise((resolve) => {
    const off = client.on('system.notice', (n) => {
      off();
      resolve(n.message);
    });
  });
}

describe.each([
  ['in-process', () => createClient(hostTransport(host, 'cli'))],
  ['Node WebSocket', () => remote],
])('the contract client over the %s transport', (_name, client: () => ContractClient) => {
  it('calls with the input and output types of the contract', async () => {
    const reply: PingReply = await client().call('system.ping', { echo: 'typed' });
    expect(reply.echo).toBe('typed');
    expect(await client().invoke('system.ping', { echo: 'as a result' })).toMatchObject({ ok: true, value: { echo: 'as a result' } });
  });

  it('throws the typed error of a failed call (code and message), and invoke returns it', async () => {
    const failed = await client()
      .call('jobs.get', { id: 987_654 })
      .then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(ChurchError);
    expect(failed).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('987654') });
    expect(await client().invoke('system.ping', { echo: 'x'.repeat(1001) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('delivers events to a subscriber until it unsubscribes', async () => {
    const heard: string[] = [];
    const off = client().on('system.notice', (n) => heard.push(n.message));
    const first = nextNotice(client());
    host.events.emit('system.notice', { level: 'info', message: 'one' });
    expect(await first).toBe('one');
    off();
    // Events arrive in the order they were sent: once 'two' is here, 'two' would have reached `heard` too.
    const second = nextNotice(client());
    host.events.emit('system.notice', { level: 'info', message: 'two' });
    expect(await second).toBe('two');
    expect(heard).toEqual(['one']);
  });

  it('follows a job to a finished status', async () => {
    const job = await client().call('jobs.enqueue', { videoId, preset: 'audio' });
    expect(job.status).toBe('queued');
    const following = client().followJob(job.id, { pollMs: 60_000 });
    await client().call('jobs.cancel', { id: job.id });
    const final: Job = await following;
    expect(final).toMatchObject({ id: job.id, status: 'cancelled' });
    expect(FINISHED_JOB_STATUSES).toContain(final.status);
    // A job that has already finished is answered at once, from a read of it.
    expect(await client().followJob(job.id, { pollMs: 60_000 })).toMatchObject({ id: job.id, status: 'cancelled' });
  });

  it('stops following when its signal aborts, leaving the job alone', async () => {
    const job = await client().call('jobs.enqueue', { videoId, preset: 'audio' });
    const abort = new AbortController();
    const following = client().followJob(job.id, { signal: abort.signal, pollMs: 60_000 });
    abort.abort();
    await expect(following).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await client().call('jobs.get', { id: job.id })).status).toBe('queued');
    await client().call('jobs.cancel', { id: job.id });
  });
});
