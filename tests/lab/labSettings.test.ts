import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../electron/host/createHost';
import { hostTransport } from '../../electron/host/transports/inProcess';
import type { RequestInput, RequestName, RequestOutput } from '../../shared/contract';
import { createClient } from '../../shared/contract/client';
import { runProcess } from '../../electron/platform/process';
import { EnvironmentSecretStore } from '../../electron/platform/secrets';
import type { LabSettings } from '../../shared/dto/lab';
import { church } from '../helpers/cli';
import { recordedPage, serveOn } from '../helpers/nodeExporter';
import { itWithRedis, TestRedis } from '../helpers/redis';
import { tempDir } from '../helpers/tempDir';
import { startAgent, writeSecret } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

const base: LabSettings = { enabled: false, redisUrl: '', user: '', tls: false, caFile: '', secretFile: '', targets: [], scrapeIntervalSec: 5, scrapeTimeoutSec: 5, offlineSec: 15 };
const PASSWORD = 'redis-acl-password-for-the-studio';

function open(dataDir: string, env: NodeJS.ProcessEnv = {}, startEngines = false): Host {
  const secrets = new EnvironmentSecretStore(env, { 'lab-redis-password': 'CHURCH_LAB_REDIS_PASSWORD' });
  return createHost({ dataDir, env, secrets, startEngines, logError: () => undefined });
}

function call<N extends RequestName>(host: Host, name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  return createClient(hostTransport(host, 'ui')).call(name, input);
}

describe('lab settings', () => {
  let page: Awaited<ReturnType<typeof serveOn>>;
  beforeAll(async () => {
    page = await serveOn((res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(recordedPage());
    });
  });
  afterAll(() => page.close());

  it('scrapes node_exporter targets as soon as they are saved, and stops when they are removed', async () => {
    const host = open(tempDir('church-labset-'), {}, true);
    try {
      const saved = await call(host, 'lab.setSettings', { settings: { ...base, targets: [`${page.url}/metrics`] } });
      expect(saved).toMatchObject({ source: 'off', activeUrl: null, restartNeeded: false, problem: null });
      const up = await waitFor('the target to be scraped', async () => {
        const s = await call(host, 'lab.status', {});
        return s.targets[0]?.state === 'up' ? s : null;
      }, 30_000);
      expect(up).toMatchObject({ configured: false, targets: [{ url: `${page.url}/metrics`, host: 'gpu-box', error: null }] });
      // The scraped host is a monitor host like an agent's: in the picker with its overview, its readings by name.
      const inMonitor = await waitFor('gpu-box in the monitor\'s hosts', async () => (await call(host, 'monitor.hosts', {})).find((h) => h.host === 'gpu-box' && h.summary !== null), 30_000);
      expect(inMonitor).toMatchObject({ label: 'gpu-box', state: 'online' });
      const current = await call(host, 'monitor.current', { host: 'gpu-box' });
      expect(current.source).toBe('node-exporter');
      expect(current.readings.find((r) => r.id === 'cpu.temp:platform_coretemp_0/temp1')).toMatchObject({ value: 71, label: 'Package id 0' });
      await call(host, 'lab.setSettings', { settings: base });
      expect((await call(host, 'lab.status', {})).targets).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('church lab --json lists the targets from Settings, each up or down with why', async () => {
    const dataDir = tempDir('church-labset-');
    const host = open(dataDir);
    const closed = await serveOn(() => undefined);
    const dead = `${closed.url}/metrics`;
    await closed.close();
    await call(host, 'lab.setSettings', { settings: { ...base, targets: [`${page.url}/metrics`, dead] } });
    await host.close();
    const r = await church(['lab', '--json', '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { agents: unknown[]; targets: { url: string; state: string; host: string; lastScrape: string | null; error: string | null }[] };
    expect(out.agents).toEqual([]);
    expect(out.targets).toMatchObject([
      { url: `${page.url}/metrics`, state: 'up', host: 'gpu-box', error: null },
      { url: dead, state: 'down', error: expect.stringContaining('refused the connection') },
    ]);
    expect(out.targets.every((t) => t.lastScrape !== null)).toBe(true);
  });

  it('refuses settings that cannot work, naming the field', async () => {
    const host = open(tempDir('church-labset-'));
    try {
      const bad = async (settings: LabSettings) => (await host.dispatch('lab.setSettings', { settings }, { actor: 'ui' })) as { ok: boolean; error?: { code: string; message: string } };
      expect(await bad({ ...base, enabled: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('fill in the Redis URL and the lab secret file') } });
      expect(await bad({ ...base, redisUrl: 'redis://:pw@nas:6379' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('Password field') } });
      expect(await bad({ ...base, redisUrl: 'http://nas:6379' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('redis://nas.lan:6379') } });
      expect(await bad({ ...base, targets: ['ftp://nas/metrics'] })).toMatchObject({ ok: false, error: { message: expect.stringContaining('node_exporter URL') } });
      expect(await bad({ ...base, targets: ['http://prom:hunter2@nas:9100/metrics'] })).toMatchObject({ ok: false, error: { message: expect.stringContaining('without a user or password') } });
    } finally {
      await host.close();
    }
  });


  itWithRedis('turns the lab on from Settings with an ACL user and a password kept in the secret store; the environment wins', async () => {
    const dir = tempDir('church-labset-');
    const redis = await TestRedis.start(dir);
    const admin = new Redis(redis.url);
    try {
      await admin.call('ACL', 'SETUSER', 'studio', 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
      await admin.call('ACL', 'SETUSER', 'default', 'off');
      const dataDir = join(dir, 'studio');
      const secret = writeSecret(dir);

      const first = open(dataDir);
      let view = await call(first, 'lab.setPassword', { password: PASSWORD });
      expect(view.passwordSet).toBe(true);
      view = await call(first, 'lab.setSettings', { settings: { ...base, enabled: true, redisUrl: redis.url, user: 'studio', secretFile: secret } });
      // Saved, not yet in use: the Redis connection follows at the next start, and the screen says so.
      expect(view).toMatchObject({ source: 'off', restartNeeded: true, passwordSet: true });
      expect(JSON.stringify(view)).not.toContain(PASSWORD);
      const audit = first.db.prepare('SELECT input FROM audit_log').all() as { input: string }[];
      expect(audit.map((a) => a.input).join('\n')).not.toContain(PASSWORD);
      await first.close();

      // The next start (the password from the store: here the environment's, as under `church serve`).
      const second = open(dataDir, { CHURCH_LAB_REDIS_PASSWORD: PASSWORD });
      try {
        view = await call(second, 'lab.getSettings', {});
        expect(view).toMatchObject({ source: 'settings', restartNeeded: false, problem: null, activeUrl: `redis://studio:***@127.0.0.1:${redis.port}` });
        const status = await call(second, 'lab.status', {});
        expect(status).toMatchObject({ configured: true, agents: [], queue: { waiting: 0, active: 0 } });
      } finally {
        await second.close();
      }

      // CHURCH_LAB_URL / --lab win over Settings.
      const third = open(dataDir, { CHURCH_LAB_URL: `redis://studio:${PASSWORD}@127.0.0.1:${redis.port}`, CHURCH_LAB_SECRET_FILE: secret });
      try {
        expect(await call(third, 'lab.getSettings', {})).toMatchObject({ source: 'environment', restartNeeded: false });
      } finally {
        await third.close();
      }

      // A secret file others can read: reported in Settings, the studio runs on its own instead of failing to start.
      chmodSync(secret, 0o644);
      const fourth = open(dataDir, { CHURCH_LAB_REDIS_PASSWORD: PASSWORD });
      try {
        const v = await call(fourth, 'lab.getSettings', {});
        expect(v).toMatchObject({ source: 'off', activeUrl: null, problem: expect.stringContaining('chmod 600') });
        expect((await call(fourth, 'lab.status', {})).configured).toBe(false);
      } finally {
        await fourth.close();
      }
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  });

  itWithRedis('connects over TLS to a Redis whose certificate only the CA file from Settings vouches for', async () => {
    const dir = tempDir('church-labset-tls-');
    const tls = await makeCertificates(dir);
    const redis = await TestRedis.start(dir, tls);
    try {
      const dataDir = join(dir, 'studio');
      const secret = writeSecret(dir);
      const settings: LabSettings = { ...base, enabled: true, redisUrl: redis.url.replace('rediss:', 'redis:'), tls: true, secretFile: secret };
      const first = open(dataDir);
      await call(first, 'lab.setSettings', { settings });
      await first.close();
      // Without the CA the certificate is refused: the Lab view says Redis cannot be reached, nothing crashes.
      const without = open(dataDir);
      try {
        const r = await without.dispatch('lab.status', {}, { actor: 'ui' });
        // Named as a certificate problem at once, with where the CA goes (not a 5 s "did not answer").
        expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/TLS certificate .* not trusted here .*CA file/) } });
        await call(without, 'lab.setSettings', { settings: { ...settings, caFile: tls.caFile } });
      } finally {
        await without.close();
      }
      const withCa = open(dataDir);
      try {
        expect(await call(withCa, 'lab.getSettings', {})).toMatchObject({ source: 'settings', activeUrl: `rediss://127.0.0.1:${redis.port}`, problem: null });
        expect(await call(withCa, 'lab.status', {})).toMatchObject({ configured: true, agents: [] });
        // An agent trusts the same CA with --lab-ca (without it, it stops at once naming the certificate).
        const refused = await church(['agent', '--lab', redis.url, '--secret-file', secret, '--data-dir', join(dir, 'agent-noca'), '--json']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/TLS certificate .* not trusted here/);
        const agent = await startAgent({ redis, secretFile: secret, name: 'tls-agent', dataDir: join(dir, 'agent'), cacheDir: dir, extra: ['--lab-ca', tls.caFile] });
        try {
          await waitFor('the TLS agent in the lab status', async () => (await call(withCa, 'lab.status', {})).agents.some((a) => a.name === 'tls-agent'), 60_000);
        } finally {
          await agent.stop();
        }
      } finally {
        await withCa.close();
      }
    } finally {
      await redis.stop();
    }
  });
});

/** A private CA and a server certificate it signed for 127.0.0.1 (openssl, argument arrays). */
async function makeCertificates(dir: string): Promise<{ certFile: string; keyFile: string; caFile: string }> {
  const f = (n: string) => join(dir, n);
  const ssl = async (args: string[]) => {
    const r = await runProcess('openssl', args, { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  await ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Church Lab Test CA', '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  await ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('redis.key'), '-out', f('redis.csr')]);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await ssl(['x509', '-req', '-in', f('redis.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('redis.pem')]);
  return { certFile: f('redis.pem'), keyFile: f('redis.key'), caFile: f('ca.pem') };
}
