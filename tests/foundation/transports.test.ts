import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/contract';
import { startBrowserServer, type BrowserServer } from '../../electron/host/transports/browserServer';
import { createIpcInvokeHandler } from '../../electron/host/transports/ipcBinding';
import { connectRemote } from '../../electron/host/transports/remoteClient';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';
import { rawGet } from '../helpers/rawHttp';
import { bearer, connectWs } from '../helpers/wsClient';

const host = testHost({ startEngines: false });
const uiDir = tempDir('church-ui-');
mkdirSync(join(uiDir, 'assets'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');
writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log(1)');

describe('WebSocket transport (church serve)', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    server = await startBrowserServer({ host, uiDir });
  });
  afterAll(() => server.close());
  const wsUrl = () => `ws://127.0.0.1:${server.port}/ws`;
  const auth = () => bearer(server.token);

  it('binds to loopback and round-trips a call', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const c = await connectWs(wsUrl(), auth());
    c.send(JSON.stringify({ id: 1, name: 'system.ping', input: { echo: 'over ws' } }));
    expect(await c.next()).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { echo: 'over ws' } } });
    c.close();
  });

  it('answers malformed, oversized and unknown messages with typed errors and keeps serving', async () => {
    const c = await connectWs(wsUrl(), auth());
    const cases: [string | Buffer, string, boolean?][] = [
      ['{not json', 'BAD_MESSAGE'],
      ['[1,2,3]', 'BAD_MESSAGE'],
      ['"just a string"', 'BAD_MESSAGE'],
      [JSON.stringify({ name: 'system.ping', input: {} }), 'BAD_MESSAGE'],
      [JSON.stringify({ id: 2, name: 'nope.nothing', input: {} }), 'UNKNOWN_CHANNEL'],
      [JSON.stringify({ id: 3, name: 42, input: {} }), 'BAD_MESSAGE'],
      [JSON.stringify({ id: 4, name: 'system.ping', input: { echo: ['not', 'a', 'string'] } }), 'INVALID_INPUT'],
      [JSON.stringify({ id: 5, name: 'system.ping', input: { echo: 'x'.repeat(LIMITS.maxMessageBytes + 1) } }), 'TOO_LARGE'],
      [Buffer.from([0xde, 0xad, 0xbe, 0xef]), 'BAD_MESSAGE', true],
    ];
    for (const [msg, code, binary] of cases) {
      c.send(msg, binary);
      const reply = await c.next();
      expect(reply.result?.ok, String(msg).slice(0, 40)).toBe(false);
      expect(reply.result?.error?.code, String(msg).slice(0, 40)).toBe(code);
    }
    c.send(JSON.stringify({ id: 99, name: 'system.ping', input: { echo: 'still here' } }));
    expect(await c.next()).toMatchObject({ id: 99, result: { ok: true, value: { echo: 'still here' } } });
    c.close();
  });

  it('refuses sockets without the token, from foreign origins, or for other hosts', async () => {
    await expect(connectWs(`ws://127.0.0.1:${server.port}/ws`)).rejects.toThrow(/403/);
    await expect(connectWs(wsUrl(), bearer('wrong'))).rejects.toThrow(/403/);
    await expect(connectWs(wsUrl(), { ...auth(), Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connectWs(wsUrl(), { ...auth(), Host: 'evil.example' })).rejects.toThrow(/403/);
  });

  it('serves the page and its assets, never setting the token as a cookie', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const first = await fetch(server.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toBeNull();
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(200);
    for (const p of ['/assets/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd']) {
      const r = await rawGet(server.port, p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('root:');
    }
  });

  it('refuses requests whose Host header is not loopback (DNS rebinding)', async () => {
    const r = await rawGet(server.port, `/?token=${server.token}`, { Host: 'attacker.example' });
    expect(r.status).toBe(421);
  });

  it('answers a malformed upgrade request with 400 and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(server.port, '127.0.0.1', () =>
        sock.write(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
      );
      let got = '';
      sock.on('data', (d: Buffer) => (got += d.toString()));
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const c = await connectWs(wsUrl(), auth());
    c.send(JSON.stringify({ id: 7, name: 'system.ping', input: {} }));
    expect(await c.next()).toMatchObject({ id: 7, result: { ok: true } });
    c.close();
  });

  it('drops a client that stops reading instead of buffering events for it without end', async () => {
    // A raw WebSocket handshake on a socket we then stop reading: the server's send buffer for it only grows.
    const sock: Socket = await new Promise((resolve, reject) => {
      const s = connect(server.port, '127.0.0.1', () =>
        s.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
      );
      s.once('data', (d: Buffer) => {
        expect(d.toString()).toMatch(/^HTTP\/1\.1 101/);
        s.pause();
        resolve(s);
      });
      s.on('error', reject);
    });
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    const big = 'x'.repeat(256 * 1024);
    // 64 MiB of events: far beyond the 16 MiB a client may have queued.
    for (let i = 0; i < 256; i++) {
      host.events.emit('system.notice', { level: 'info', message: big });
      await new Promise((r) => setImmediate(r));
    }
    sock.resume();
    sock.on('data', () => undefined);
    await closed;
    // Everyone else is still served.
    const c = await connectWs(wsUrl(), auth());
    c.send(JSON.stringify({ id: 8, name: 'system.ping', input: {} }));
    expect(await c.next((m) => m.type === 'result')).toMatchObject({ id: 8, result: { ok: true } });
    c.close();
  });

  it('pushes events to connected clients', async () => {
    const c = await connectWs(wsUrl(), auth());
    host.events.emit('system.notice', { level: 'info', message: 'hello clients' });
    expect(await c.next()).toEqual({ type: 'event', name: 'system.notice', payload: { level: 'info', message: 'hello clients' } });
    c.close();
  });
});

describe('Electron IPC transport (binding logic)', () => {
  const appUrl = 'file:///opt/church/out/renderer/index.html';
  const handler = createIpcInvokeHandler(host.dispatch, (url) => url === appUrl);
  const fromApp = { senderFrame: { url: appUrl, parent: null } };

  it('round-trips a call from the app window', async () => {
    expect(await handler(fromApp, 'system.ping', { echo: 'ipc' })).toMatchObject({ ok: true, value: { echo: 'ipc' } });
  });

  it('refuses other frames: foreign pages, iframes, destroyed frames', async () => {
    expect(await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'system.ping', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await handler({ senderFrame: { url: appUrl, parent: {} } }, 'system.ping', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handler({ senderFrame: null }, 'system.ping', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('answers malformed, oversized and unknown messages with typed errors and keeps serving', async () => {
    expect(await handler(fromApp, undefined, undefined)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await handler(fromApp, 'nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await handler(fromApp, 'system.ping', { echo: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await handler(fromApp, 'system.ping', { echo: 'y'.repeat(LIMITS.maxMessageBytes) })).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(await handler(fromApp, 'system.ping', { echo: 'alive' })).toMatchObject({ ok: true, value: { echo: 'alive' } });
  });
});

describe('attaching to a running studio', () => {
  it('gives up on a studio that accepts the connection but never answers (a frozen main process)', async () => {
    const sockets: Socket[] = [];
    const frozen = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => frozen.listen(0, '127.0.0.1', () => r()));
    const port = (frozen.address() as { port: number }).port;
    const started = Date.now();
    await expect(connectRemote(port, 'token', 'cli')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => frozen.close(() => r()));
  });
});
