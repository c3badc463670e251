import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KillRun } from '../../shared/dto/killswitch';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs, type WsReply } from '../helpers/wsClient';

// Issue #25 item 7 over a real `church serve` child: it stops within 5 s of SIGTERM whatever a peer holds open, and
// the kill switch's report names the credential that triggered it, as the audit log does.
const uiDir = tempDir('church-signals-ui-');
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');

/** An SMTP peer that greets and then never answers: the studio's mail client waits on it (nodemailer: minutes). */
async function holdingSmtpPeer(): Promise<{ port: number; connected: Promise<void>; sockets: Socket[]; close(): void }> {
  const sockets: Socket[] = [];
  let onConnect: () => void = () => undefined;
  const connected = new Promise<void>((r) => (onConnect = r));
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.write('220 holder ESMTP\r\n');
    // Whatever the client says next (EHLO), it waits for an answer that never comes.
    s.once('data', () => onConnect());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { port, connected, sockets, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

async function call(port: number, token: string, name: string, input: unknown): Promise<WsReply['result']> {
  const c = await connectWs(`ws://127.0.0.1:${port}/ws`, bearer(token));
  try {
    c.send(JSON.stringify({ id: 1, name, input }));
    return (await c.next((m) => m.type === 'result')).result;
  } finally {
    c.close();
  }
}

describe('church serve and its peers (item 7)', () => {
  const peers: { close(): void }[] = [];
  afterAll(() => peers.forEach((p) => p.close()));

  it('exits within 5 s of SIGTERM while an SMTP peer and a WebSocket peer hold their sockets open', async () => {
    const smtp = await holdingSmtpPeer();
    peers.push(smtp);
    const serve = await startServe(tempDir('church-signals-'), { CHURCH_UI_DIR: uiDir });
    // A failure before the SIGTERM below must not leave the server running after the file.
    peers.push({ close: () => void (serve.child.exitCode === null && serve.child.signalCode === null && serve.child.kill('SIGKILL')) });
    const token = new URL(serve.url).searchParams.get('token')!;
    const view = (await call(serve.port, token, 'monitor.getSettings', {}))!.value as Record<string, unknown>;
    const { smtpPasswordSet: _a, prometheusTokenSet: _b, prometheusUrl: _c, sampling: _d, smtpPasswordNote: _e, prometheusTokenNote: _f, channelSecrets: _g, ...current } = view;
    const smtpSettings = { enabled: true, host: '127.0.0.1', port: smtp.port, secure: false, user: '', allowPlainAuth: false, from: 'studio@example.com', to: ['owner@example.com'] };
    const saved = await call(serve.port, token, 'monitor.setSettings', { settings: { ...current, smtp: smtpSettings } });
    expect(saved?.ok, JSON.stringify(saved)).toBe(true);
    // A test e-mail that hangs on the peer (its answer is never awaited), and a page that stays connected.
    const mailer = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(token));
    mailer.send(JSON.stringify({ id: 1, name: 'monitor.testEmail', input: {} }));
    await smtp.connected;
    const page = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(token));
    peers.push({ close: () => { mailer.close(); page.close(); } });

    const exited = new Promise<number>((resolve) => serve.child.once('exit', () => resolve(performance.now())));
    const sent = performance.now();
    serve.child.kill('SIGTERM');
    const limit = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000).unref());
    const outcome = await Promise.race([exited, limit]);
    if (outcome === 'still running') serve.child.kill('SIGKILL');
    expect(outcome, serve.stderr()).not.toBe('still running');
    expect((outcome as number) - sent).toBeLessThanOrEqual(5_000);
  }, 60_000);

  it('the kill report’s actor is the browser token’s, as in the audit log', async () => {
    const serve = await startServe(tempDir('church-signals-actor-'), { CHURCH_UI_DIR: uiDir });
    try {
      const token = new URL(serve.url).searchParams.get('token')!;
      const r = await call(serve.port, token, 'killswitch.trigger', { dryRun: true, plan: { version: 1, steps: [{ kind: 'stop-jobs' }] } });
      expect((r!.value as KillRun).trigger).toBe('web');
      const audit = (await call(serve.port, token, 'audit.recent', { limit: 20 }))!.value as { actor: string; action: string }[];
      const actors = audit.filter((e) => e.action.startsWith('killswitch.')).map((e) => `${e.action}:${e.actor}`);
      expect(actors).toEqual(expect.arrayContaining(['killswitch.trigger:web', 'killswitch.report:web']));
    } finally {
      await serve.stop();
    }
  });
});
