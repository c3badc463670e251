import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/contract';
import { startBrowserServer, type BrowserServer } from '../../electron/main/host/transports/browserServer';
import { createIpcInvokeHandler } from '../../electron/main/host/transports/ipcBinding';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';
import { rawGet } from '../helpers/rawHttp';
import { connectWs } from '../helpers/wsClient';

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
  const wsUrl = () => `ws://127.0.0.1:${server.port}/ws?token=${server.token}`;

  it('binds to loopback and round-trips a call', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const c = await connectWs(wsUrl());
    c.send(JSON.stringify({ id: 1, name: 'system.ping', input: { echo: 'over ws' } }));
    expect(await c.next()).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { echo: 'over ws' } } });
    c.close();
  });

  it('answers malformed, oversized and unknown messages with typed errors and keeps serving', async () => {
    const c = await connectWs(wsUrl());
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
    await expect(connectWs(`ws://127.0.0.1:${server.port}/ws?token=wrong`)).rejects.toThrow(/403/);
    await expect(connectWs(wsUrl(), { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connectWs(wsUrl(), { Host: 'evil.example' })).rejects.toThrow(/403/);
  });

  it('serves the page only with the token, then by cookie', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    const first = await fetch(server.url);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
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

  it('pushes events to connected clients', async () => {
    const c = await connectWs(wsUrl());
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
