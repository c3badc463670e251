import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachToken } from '../../electron/host/transports/credentials';
import { connectRemote } from '../../electron/host/transports/remoteClient';
import { mediaKeyFromToken, signedMediaPath } from '../../shared/mediaSignature';
import { church, startServe } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { rawGet } from '../helpers/rawHttp';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs, type WsReply } from '../helpers/wsClient';

// Probes against a real `church serve` child, the way an attacker holding one credential (or none) would.
const dataDir = tempDir('church-sec-');
const uiDir = tempDir('church-sec-ui-');
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');
let serve: Awaited<ReturnType<typeof startServe>>;
let webToken = '';
let attachKey = '';
let videoId = 0;

beforeAll(async () => {
  const media = tempDir('church-sec-media-');
  await makeClip(join(media, 'clip.mp4'), { seconds: 1 });
  expect((await church(['import', media, '--json', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } })).code).toBe(0);
  serve = await startServe(dataDir, { CHURCH_UI_DIR: uiDir });
  webToken = new URL(serve.url).searchParams.get('token')!;
  attachKey = (JSON.parse(readFileSync(join(dataDir, 'instance.json'), 'utf8')) as { token: string }).token;
  const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(webToken));
  c.send(JSON.stringify({ id: 1, name: 'library.search', input: {} }));
  const r = await c.next((m) => m.type === 'result');
  videoId = (r.result?.value as { items: { id: number }[] }).items[0]!.id;
  c.close();
});
afterAll(() => serve?.stop());

async function call(headers: Record<string, string>, name: string, input: unknown, protocols: string[] = []): Promise<WsReply['result']> {
  const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, headers, protocols);
  try {
    c.send(JSON.stringify({ id: 1, name, input }));
    return (await c.next((m) => m.type === 'result')).result;
  } finally {
    c.close();
  }
}

describe('a shell through the contract (item 1)', () => {
  const marker = () => join(dataDir, 'pwned');
  const shellPlan = () => ({ version: 1, steps: [{ kind: 'command', argv: ['sh', '-c', `id > '${marker()}'`] }] });

  it('refuses a custom command in a triggered or saved plan from the browser token, and runs nothing', async () => {
    const trig = await call(bearer(webToken), 'killswitch.trigger', { dryRun: false, plan: shellPlan() });
    expect(trig).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(trig?.error?.message).toMatch(/killswitch-plan\.json on disk/);
    const save = await call(bearer(webToken), 'killswitch.setPlan', { plan: shellPlan() });
    expect(save).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const mcp = await call(bearer(attachToken(attachKey, 'mcp')), 'killswitch.trigger', { dryRun: false, plan: shellPlan() });
    expect(mcp).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(existsSync(marker())).toBe(false);
    expect(existsSync(join(dataDir, 'killswitch-plan.json'))).toBe(false);
  });

  it('lets a request keep (and re-label) the commands the owner wrote in the plan file', async () => {
    const owner = { version: 1, steps: [{ kind: 'command', argv: ['true'], label: 'owner step' }] };
    writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify(owner));
    const save = await call(bearer(webToken), 'killswitch.setPlan', {
      plan: { version: 1, steps: [{ kind: 'stop-jobs' }, { kind: 'command', argv: ['true'], label: 'renamed', enabled: false }] },
    });
    expect(save).toMatchObject({ ok: true });
    const rehearsal = await call(bearer(webToken), 'killswitch.trigger', { dryRun: true, plan: owner });
    expect(rehearsal).toMatchObject({ ok: true });
  });

  it('lets the CLI credential rehearse a plan file of its own', async () => {
    const cli = await connectRemote(serve.port, attachKey, 'cli');
    const r = await cli.invoke('killswitch.trigger', { dryRun: true, plan: shellPlan() });
    cli.close();
    expect(r.ok).toBe(true);
    expect(existsSync(marker())).toBe(false);
  });

  it('refuses interface, volume and container names that start with "-"', async () => {
    for (const step of [
      { kind: 'network-down', interfaces: ['-force'], method: 'nmcli' },
      { kind: 'lock-volumes', volumes: [{ method: 'cryptsetup', name: '--debug' }] },
      { kind: 'lock-volumes', volumes: [{ method: 'udisksctl', device: '-h' }] },
    ]) {
      const r = await call(bearer(webToken), 'killswitch.trigger', { dryRun: true, plan: { version: 1, steps: [step] } });
      expect(r, JSON.stringify(step)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(r?.error?.message).toMatch(/may not start with "-"/);
    }
  });
});

describe('who did it (item 4)', () => {
  it('records the actor of the credential, whatever ?client= says', async () => {
    const prefs = { theme: 'dark' };
    expect(await call(bearer(webToken), 'preferences.set', prefs)).toMatchObject({ ok: true });
    // The old way of claiming to be MCP: the query is ignored, the browser token still acts as 'web'.
    const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws?client=mcp`, bearer(webToken));
    c.send(JSON.stringify({ id: 2, name: 'preferences.set', input: { theme: 'light' } }));
    expect((await c.next((m) => m.type === 'result')).result).toMatchObject({ ok: true });
    c.close();
    expect(await call(bearer(attachToken(attachKey, 'cli')), 'preferences.set', { theme: 'system' })).toMatchObject({ ok: true });
    const audit = await call(bearer(webToken), 'audit.recent', { limit: 20 });
    const actors = (audit?.value as { actor: string; action: string; input: string }[]).filter((e) => e.action === 'preferences.set').map((e) => `${e.actor}:${JSON.parse(e.input).theme}`);
    expect(actors.slice(0, 3)).toEqual(['cli:system', 'web:light', 'web:dark']);
  });

  it('refuses the attach key itself and unknown tokens', async () => {
    await expect(connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(attachKey))).rejects.toThrow(/403/);
    await expect(connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer('x'.repeat(32)))).rejects.toThrow(/403/);
  });
});

describe('the MCP token holds only what the MCP tools need', () => {
  const mcp = () => bearer(attachToken(attachKey, 'mcp'));

  it('refuses the review’s chain (restic repository → restore → kill) and every owner-only request, changing nothing', async () => {
    const tries: Array<[string, unknown]> = [
      ['backup.setSettings', { restic: { repository: '/tmp/evil-repo' } }],
      ['backup.restore', { id: 'latest' }],
      ['killswitch.trigger', { dryRun: false }],
      ['killswitch.setPlan', { plan: { version: 1, steps: [] } }],
      ['monitor.setSettings', {}],
      ['library.import', { paths: ['/etc'] }],
      ['stripe.setKey', { key: 'rk_live_x' }],
      ['preferences.set', { theme: 'dark' }],
      ['audit.recent', { limit: 5 }],
    ];
    for (const [name, input] of tries) {
      const r = await call(mcp(), name, input);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(r?.error?.message, name).toContain('is not open to an MCP client');
    }
    const settings = await call(bearer(webToken), 'backup.getSettings', {});
    expect(JSON.stringify(settings?.value)).not.toContain('evil-repo');
  });

  it('answers what the MCP tools use', async () => {
    expect(await call(mcp(), 'library.search', {})).toMatchObject({ ok: true });
    expect(await call(mcp(), 'jobs.list', {})).toMatchObject({ ok: true });
    expect(await call(mcp(), 'mcp.getConfig', {})).toMatchObject({ ok: true });
  });

  it('holds MCP jobs to outputs inside the library roots or the outputs folder, and file parameters too', async () => {
    const elsewhere = tempDir('church-sec-elsewhere-');
    const out = await call(mcp(), 'jobs.enqueue', { videoId, preset: 'web', outDir: elsewhere });
    expect(out).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(out?.error?.message).toMatch(/outside the library roots and the output folder/);
    const dotdot = await call(mcp(), 'jobs.enqueue', { videoId, preset: 'web', outDir: join(dataDir, 'outputs', '..', '..') });
    expect(dotdot).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const image = await call(mcp(), 'jobs.enqueue', { videoId, preset: 'watermark', params: { imagePath: '/etc/ssh/ssh_host_rsa_key' } });
    expect(image).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(image?.error?.message).toMatch(/^params\.imagePath: /);
    // The owner's tokens are not held to it.
    const owner = await call(bearer(webToken), 'jobs.enqueue', { videoId, preset: 'web', outDir: elsewhere, priority: -100 });
    expect(owner).toMatchObject({ ok: true });
    await call(bearer(webToken), 'jobs.cancel', { id: (owner?.value as { id: number }).id });
  });

  it('shows an MCP client only the jobs it queued, and lets it cancel only those', async () => {
    expect(await call(bearer(webToken), 'jobs.pause', {})).toMatchObject({ ok: true });
    try {
      const owners = await call(bearer(webToken), 'jobs.enqueue', { videoId, preset: 'web' });
      const ownerJob = owners?.value as { id: number; queuedBy: string | null };
      expect(ownerJob.queuedBy).toBe('web');
      const mine = await call(mcp(), 'jobs.enqueue', { videoId, preset: 'web' });
      const mcpJob = mine?.value as { id: number; queuedBy: string | null };
      expect(mcpJob.queuedBy).toBe('mcp');

      const listed = (await call(mcp(), 'jobs.list', {}))?.value as { jobs: { id: number }[] };
      expect(listed.jobs.map((j) => j.id)).toContain(mcpJob.id);
      expect(listed.jobs.map((j) => j.id)).not.toContain(ownerJob.id);
      expect(await call(mcp(), 'jobs.get', { id: ownerJob.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await call(mcp(), 'jobs.cancel', { id: ownerJob.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await call(bearer(webToken), 'jobs.get', { id: ownerJob.id })).toMatchObject({ ok: true, value: { status: 'queued' } });

      expect(await call(mcp(), 'jobs.cancel', { id: mcpJob.id })).toMatchObject({ ok: true, value: { status: 'cancelled' } });
      await call(bearer(webToken), 'jobs.cancel', { id: ownerJob.id });
    } finally {
      await call(bearer(webToken), 'jobs.resume', {});
    }
  });

  it('the browser and CLI tokens may not pose as the MCP server’s own audit call', async () => {
    const entry = { action: 'tool.x', input: {}, ok: true, errorCode: null, durationMs: 1 };
    expect(await call(bearer(webToken), 'audit.append', entry)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(bearer(attachToken(attachKey, 'cli')), 'audit.append', entry)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the token stays out of cookies (item 5)', () => {
  it('sets no cookie and accepts none', async () => {
    const page = await fetch(serve.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const cookie = { cookie: `church_token=${webToken}` };
    await expect(connectWs(`ws://127.0.0.1:${serve.port}/ws`, cookie)).rejects.toThrow(/403/);
    expect((await rawGet(serve.port, `/media/video/${videoId}`, cookie)).status).toBe(401);
    expect((await rawGet(serve.port, `/media/video/${videoId}?token=${webToken}`)).status).toBe(401);
  });

  it('takes the token as a WebSocket subprotocol, as a browser sends it', async () => {
    const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, {}, ['church.v1', `church.token.${webToken}`]);
    expect(c.ws.protocol).toBe('church.v1');
    c.send(JSON.stringify({ id: 3, name: 'system.ping', input: { echo: 'sub' } }));
    expect((await c.next((m) => m.type === 'result')).result).toMatchObject({ ok: true, value: { echo: 'sub' } });
    c.close();
    await expect(connectWs(`ws://127.0.0.1:${serve.port}/ws`, {}, ['church.v1', 'church.token.wrong'])).rejects.toThrow(/403/);
  });

  it('serves media through signed URLs for that item only, until they expire', async () => {
    const key = mediaKeyFromToken(webToken);
    const good = signedMediaPath(key, 'video', videoId, undefined, Date.now());
    const r = await fetch(`http://127.0.0.1:${serve.port}${good}`, { headers: { range: 'bytes=0-9' } });
    expect(r.status).toBe(206);
    expect((await r.arrayBuffer()).byteLength).toBe(10);
    // The signature covers the item: moving it to another id or kind fails.
    expect((await rawGet(serve.port, good.replace(`/video/${videoId}`, `/video/${videoId + 1}`))).status).toBe(401);
    expect((await rawGet(serve.port, good.replace('/video/', '/poster/'))).status).toBe(401);
    // Signed by someone without the token, or expired an hour ago or more.
    expect((await rawGet(serve.port, signedMediaPath(mediaKeyFromToken('guess'), 'video', videoId, undefined, Date.now()))).status).toBe(401);
    expect((await rawGet(serve.port, signedMediaPath(key, 'video', videoId, undefined, Date.now() - 5 * 3600_000))).status).toBe(401);
  });
});

describe('loopback server answers (item 6)', () => {
  it('answers bad percent-encoding with 400 and no stack trace', async () => {
    for (const p of ['/x%ZZ.js', '/%E0%A4%A.css', '/route%']) {
      const r = await rawGet(serve.port, p);
      expect(r.status, p).toBe(400);
      expect(r.body).not.toMatch(/URIError|\n\s+at /);
    }
    expect(serve.stderr()).not.toMatch(/URIError|\n\s+at /);
    expect((await rawGet(serve.port, '/')).status).toBe(200);
  });
});
