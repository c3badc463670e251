import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSourceProxy, type SourceProxy } from '../../electron/domains/lab/agent/sourceProxy';

// The agent's loopback proxy for studio sources: what ffmpeg's command line names instead of the signed URL.
// Real HTTP both sides; another user of the host is a real process under uid 65534 (when this runs as root).
const run = promisify(execFile);
const body = Buffer.from('0123456789abcdefghij');
let upstream: Server;
let upstreamUrl = '';
let proxy: SourceProxy;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' }).end(body);
    const start = Number(m[1]);
    const end = m[2] ? Number(m[2]) : body.length - 1;
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': end - start + 1 }).end(body.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/lab/source/ticket?exp=1&sig=secret`;
  proxy = await startSourceProxy();
});

afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

// Another user is played by setpriv as uid 65534, which needs root, Linux and curl (CI runs as root and installs curl).
const asAnotherUser = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') && existsSync('/usr/bin/curl');
if (!asAnotherUser) console.log('SKIPPED: the source proxy refusing another user — needs root on Linux with /usr/bin/setpriv and /usr/bin/curl');

describe('the agent’s loopback source proxy', () => {
  it('stands for the signed URL with a loopback name that shows nothing of it, range requests included, until removed', async () => {
    const { local, remove } = proxy.add(upstreamUrl);
    expect(local).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}$/);
    expect(local).not.toMatch(/sig=|exp=|lab\/source/);
    const whole = await fetch(local);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(body);
    const part = await fetch(local, { headers: { range: 'bytes=10-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/20');
    expect(await part.text()).toBe('abcdefghij');
    remove();
    expect((await fetch(local)).status).toBe(404);
  });

  it.runIf(asAnotherUser)('refuses another user of the host who read the loopback name off ps', async () => {
    const { local, remove } = proxy.add(upstreamUrl);
    const asNobody = await run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', local]);
    expect(asNobody.stdout).toBe('403');
    const asUs = await run('/usr/bin/curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', local]);
    expect(asUs.stdout).toBe('200');
    remove();
  });
});
