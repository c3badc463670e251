import { request } from 'node:http';
import type { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import type { PrometheusSettings } from '../../shared/dto/monitor';
import { allowedHostNames, judgeScrape } from '../../electron/domains/monitor/metricsServer';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';
import { freePort } from '../helpers/freePort';

type Scrape = { status: number; body: string; authenticate: string | undefined };

/** A real HTTP scrape to 127.0.0.1:port from `from` (127.0.0.2 stands for another machine on the LAN). */
function scrape(port: number, opts: { from?: string; host?: string; token?: string } = {}): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: opts.host ?? `127.0.0.1:${port}` };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const req = request({ host: '127.0.0.1', port, path: '/metrics', localAddress: opts.from, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, authenticate: res.headers['www-authenticate'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });

const TOKEN = 'c0ffee-lab-scrape-token-0123456789';

async function monitorWith(prometheus: PrometheusSettings, token?: string) {
  const f = FixtureTree.healthy();
  const m = makeFixtureMonitor(f.root);
  if (token) await m.monitor.setPrometheusToken(token);
  m.monitor.start();
  await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus });
  return m;
}

describe('Prometheus endpoint access: bind address, bearer token, Host check', () => {
  it('default loopback: this machine scrapes without a token; a rebinding Host header and another address are refused', async () => {
    const port = await freePort();
    const m = await monitorWith({ enabled: true, port });
    expect(m.monitor.getSettings().prometheusUrl).toBe(`http://127.0.0.1:${port}/metrics`);
    const ok = await scrape(port);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^node_load1 /m);
    expect((await scrape(port, { host: `localhost:${port}` })).status).toBe(200);
    // DNS rebinding: a web page on attacker.example whose name now resolves to 127.0.0.1.
    const rebound = await scrape(port, { host: `attacker.example:${port}` });
    expect(rebound.status).toBe(421);
    expect(rebound.body).toMatch(/does not answer to the name "attacker.example:\d+"/);
    expect(rebound.body).not.toMatch(/node_/);
    // Right name, wrong port (another service's name reused) is refused too.
    expect((await scrape(port, { host: '127.0.0.1:1' })).status).toBe(421);
    const other = await scrape(port, { from: '127.0.0.2' });
    expect(other.status).toBe(401);
    expect(other.body).toMatch(/need a bearer token: set one under Settings → Monitor → Prometheus → Bearer token/);
    await m.close();
  });

  it('a LAN bind address without a token is refused with the reason, and nothing listens', async () => {
    const port = await freePort();
    const f = FixtureTree.healthy();
    const m = makeFixtureMonitor(f.root);
    m.monitor.start();
    await expect(m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port, bindAddress: '0.0.0.0' } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/listening on 0\.0\.0\.0 lets other machines scrape: set a bearer token first/),
    });
    expect(await listening(port)).toBe(false);
    expect(m.monitor.getSettings().prometheusUrl).toBeNull();
    await m.close();
  });

  it('bound to every interface with a token: a scrape from 127.0.0.2 needs the token; the Host check still holds with it', async () => {
    const port = await freePort();
    const m = await monitorWith({ enabled: true, port, bindAddress: '0.0.0.0', hostNames: ['studio.lan'] }, TOKEN);
    const view = m.monitor.getSettings();
    expect(view.prometheusTokenSet).toBe(true);
    expect(view.prometheusUrl).toBe(`http://<this machine>:${port}/metrics`);
    expect(JSON.stringify(view)).not.toContain(TOKEN);

    const none = await scrape(port, { from: '127.0.0.2' });
    expect(none).toMatchObject({ status: 401, authenticate: 'Bearer realm="church-metrics"' });
    expect(none.body).toMatch(/missing or wrong bearer token/);
    expect((await scrape(port, { from: '127.0.0.2', token: 'wrong-token-wrong-token-wrong' })).status).toBe(401);
    const good = await scrape(port, { from: '127.0.0.2', token: TOKEN });
    expect(good.status).toBe(200);
    expect(good.body).toMatch(/^# TYPE node_cpu_seconds_total counter$/m);
    // The name the lab's Prometheus uses as its target is accepted once listed; any other name is not, token or not.
    expect((await scrape(port, { from: '127.0.0.2', token: TOKEN, host: `studio.lan:${port}` })).status).toBe(200);
    expect((await scrape(port, { from: '127.0.0.2', token: TOKEN, host: `attacker.example:${port}` })).status).toBe(421);
    // This machine itself (the lab host's own Prometheus) still scrapes without the token.
    expect((await scrape(port)).status).toBe(200);

    // Removing the token closes the LAN endpoint rather than leaving it open.
    await m.monitor.setPrometheusToken(null);
    expect(await listening(port)).toBe(false);
    expect(m.errors.some((e) => /set a bearer token first/.test(e))).toBe(true);
    await m.close();
  });

  it('an address that is not this machine is a clear error', async () => {
    const port = await freePort();
    const f = FixtureTree.healthy();
    const m = makeFixtureMonitor(f.root);
    await m.monitor.setPrometheusToken(TOKEN);
    m.monitor.start();
    await expect(m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port, bindAddress: '192.0.2.77' } })).rejects.toThrow(
      /192\.0\.2\.77 is not an address of this machine; pick one of its own addresses/,
    );
    await m.close();
  });

  it('the decision as a pure function: names, ports, peers, tokens', () => {
    const ifaces = { lo: [{ address: '127.0.0.1' }], eth0: [{ address: '192.168.1.20' }, { address: 'fe80::1' }] } as unknown as ReturnType<typeof networkInterfaces>;
    const all = allowedHostNames('0.0.0.0', ['Studio.LAN'], ifaces, 'labbox');
    expect([...all].sort()).toEqual(['127.0.0.1', '192.168.1.20', '::1', 'fe80::1', 'labbox', 'localhost', 'studio.lan']);
    expect([...allowedHostNames('192.168.1.20', [], ifaces, 'labbox')].sort()).toEqual(['127.0.0.1', '192.168.1.20', '::1', 'labbox', 'localhost']);
    const opts = { port: 9101, allowed: all, token: TOKEN };
    const j = (host: string | undefined, peer: string, authorization?: string) => {
      const v = judgeScrape({ host, peer, authorization }, opts);
      return v.ok ? 200 : v.status;
    };
    expect(j('192.168.1.20:9101', '192.168.1.5', `Bearer ${TOKEN}`)).toBe(200);
    expect(j('[fe80::1]:9101', '192.168.1.5', `bearer ${TOKEN}`)).toBe(200);
    expect(j('STUDIO.lan', '192.168.1.5', `Bearer ${TOKEN}`)).toBe(200);
    expect(j('192.168.1.20:9101', '192.168.1.5')).toBe(401);
    expect(j('192.168.1.20:9101', '192.168.1.5', `Bearer ${TOKEN}x`)).toBe(401);
    expect(j('192.168.1.20:9101', '192.168.1.5', `Basic ${TOKEN}`)).toBe(401);
    expect(j('192.168.1.20:9101', '::ffff:127.0.0.1')).toBe(200);
    expect(j(undefined, '127.0.0.1')).toBe(421);
    expect(j('rebind.attacker.example:9101', '127.0.0.1')).toBe(421);
    expect(j('192.168.1.20:9102', '127.0.0.1')).toBe(421);
    expect(judgeScrape({ host: 'labbox:9101', peer: '10.0.0.9', authorization: undefined }, { ...opts, token: null })).toMatchObject({ ok: false, status: 401, message: expect.stringMatching(/need a bearer token/) });
  });
});
