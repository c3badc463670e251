import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, expect, it } from 'vitest';
import type { AlertRecord, MonitorHost, MonitorSample, MonitorSettingsData, MonitorSettingsView } from '../../shared/dto/monitor';
import { SAMPLES_CHANNEL } from '../../electron/domains/lab/names';
import { signMessage } from '../../electron/domains/lab/signing';
import { church } from '../helpers/cli';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

// Agents' monitor samples with real parts: Debian's redis-server, `church serve` as the studio, two `church agent`
// processes sampling this machine with the studio's own sampler and publishing signed samples.

describeWithRedis('the lab\'s hardware: agents\' samples in the studio\'s monitor', () => {
  const cluster = useLabCluster('church-labmon-');
  const { dir } = cluster;

  const hosts = () => cluster.studio.call<MonitorHost[]>('monitor.hosts', {});
  const alerts = () => cluster.studio.call<AlertRecord[]>('monitor.alerts', { limit: 200 });

  beforeAll(async () => {
    await cluster.startStudio();
    for (const name of ['alpha', 'beta']) await cluster.startAgent(name, { extra: ['--sample-ms', '500'] });
  }, 180_000);

  it('each agent\'s readings appear under its host (picker, overview, current, history, church lab --json)', async () => {
    const list = await waitFor('both agents\' samples in the studio', async () => {
      const h = await hosts();
      return ['alpha', 'beta'].every((n) => h.some((x) => x.host === n && x.state === 'online' && x.summary)) ? h : null;
    });
    expect(list[0]).toMatchObject({ host: null, label: expect.stringMatching(/^This machine \(/) });
    // The same machine's sensors, read by the agent's copy of the studio's sampler.
    expect(list.find((h) => h.host === 'alpha')!.summary!.memUsedPct).toBeGreaterThan(0);
    const alpha = await cluster.studio.call<MonitorSample>('monitor.current', { host: 'alpha' });
    expect(alpha.readings.some((r) => r.family === 'uptime' && (r.value ?? 0) > 0)).toBe(true);
    const hist = await waitFor('two samples of alpha in its history', async () => {
      const h = await cluster.studio.call<{ series: { id: string; points: [number, number | null][] }[] }>('monitor.history', { series: ['mem.used_pct'], rangeSec: 300, host: 'alpha' });
      return (h.series[0]?.points.length ?? 0) >= 2 ? h : null;
    });
    expect(hist.series[0]!.id).toBe('mem.used_pct');

    const lab = await church(['lab', '--json', '--lab', cluster.redis.url, '--lab-secret-file', cluster.secret, '--data-dir', join(dir, 'cli')], { env: { CHURCH_NO_ATTACH: '1' } });
    expect(lab.code, lab.stderr).toBe(0);
    const out = JSON.parse(lab.stdout) as { agents: { name: string; sample: MonitorSample | null }[] };
    for (const n of ['alpha', 'beta']) expect(out.agents.find((a) => a.name === n)?.sample?.readings.some((r) => r.family === 'mem.used_pct')).toBe(true);
  }, 180_000);

  it('a rule for one host fires for that host only; an "any host" rule fires once per host and names it', async () => {
    const view = await cluster.studio.call<MonitorSettingsView>('monitor.getSettings', {});
    const settings: MonitorSettingsData = {
      intervalMs: view.intervalMs,
      desktopNotifications: view.desktopNotifications,
      smtp: view.smtp,
      prometheus: view.prometheus,
      channels: view.channels,
      rules: [
        // Uptime is above one second on every host: a level that is reached at once, on each of them.
        { id: 'alpha-up', enabled: true, family: 'uptime', match: '', warn: 1, critical: null, forSec: 0, hysteresis: 0, killSwitchAfterSec: null, host: 'alpha' },
        { id: 'any-up', enabled: true, family: 'uptime', match: '', warn: 1, critical: null, forSec: 0, hysteresis: 0, killSwitchAfterSec: null, host: '*' },
      ],
    };
    await cluster.studio.call('monitor.setSettings', { settings });
    const fired = await waitFor('the any-host rule for both agents and this machine', async () => {
      const a = await alerts();
      const any = a.filter((x) => x.ruleId === 'any-up').map((x) => x.label);
      return any.includes('alpha: Uptime') && any.includes('beta: Uptime') && any.some((l) => /^this machine \(.+\): Uptime$/.test(l)) && a.some((x) => x.ruleId === 'alpha-up') ? a : null;
    });
    const hostRule = fired.filter((x) => x.ruleId === 'alpha-up');
    expect(hostRule.map((x) => [x.label, x.series])).toEqual([['alpha: Uptime', 'alpha/uptime']]);
    // Once per host: one open episode each, however many samples arrived since.
    expect(fired.filter((x) => x.ruleId === 'any-up')).toHaveLength(3);
    // The alert's words name the host too (desktop, e-mail, audit log; the audit entry follows the history row).
    await waitFor('the audit entry of beta\'s alert', async () => {
      const audit = await cluster.studio.call<{ action: string; input: unknown }[]>('audit.recent', { limit: 200 });
      return audit.find((e) => e.action === 'monitor.alert.fired' && /"host":"beta".*"title":"WARNING: beta: Uptime at \d/.test(typeof e.input === 'string' ? e.input : JSON.stringify(e.input)));
    });
  }, 180_000);

  it('ignores unsigned and forged samples (no host appears, no rule fires for it)', async () => {
    const real = await cluster.studio.call<MonitorSample>('monitor.current', { host: 'alpha' });
    const pub = new Redis(cluster.redis.url);
    try {
      const sample = { ...real, at: Date.now() };
      await pub.publish(SAMPLES_CHANNEL, JSON.stringify({ host: 'ghost', sample }));
      await pub.publish(SAMPLES_CHANNEL, JSON.stringify(signMessage(Buffer.from('not-the-lab-secret-0123456789abcdef'), { host: 'ghost', sample })));
      await pub.publish(SAMPLES_CHANNEL, 'not json at all');
      // Signed with the lab secret but not a sample: refused by shape.
      await pub.publish(SAMPLES_CHANNEL, JSON.stringify(signMessage(Buffer.from(`${'a-lab-secret-of-more-than-16-chars-0123456789'}`), { host: 'ghost', sample: { at: 'now' } })));
    } finally {
      pub.disconnect();
    }
    // Redis delivers a channel's messages in order: once a later sample of alpha is in, the forged ones were handled.
    const after = Date.now();
    await waitFor('a later sample of alpha', async () => ((await hosts()).find((h) => h.host === 'alpha')?.lastSeen ?? 0) > after);
    expect((await hosts()).map((h) => h.host)).not.toContain('ghost');
    expect((await alerts()).some((a) => a.label.startsWith('ghost'))).toBe(false);
  }, 120_000);

  it('an agent that stops reporting raises "host offline" after the configured time, and the overview says offline', async () => {
    // The configured time: CHURCH_LAB_OFFLINE_MS=4000 (tests/helpers/lab.ts), which overrides Settings → Lab → "Host offline after (s)".
    const beta = cluster.agents.find((a) => a.name === 'beta')!;
    await beta.stop();
    cluster.agents.splice(cluster.agents.indexOf(beta), 1);
    const offline = await waitFor('the host offline alert for beta', async () => (await alerts()).find((a) => a.ruleId === 'host-offline' && a.series === 'host:beta'));
    expect(offline).toMatchObject({ label: 'Lab host beta', level: 'critical', clearedAt: null });
    expect((await hosts()).find((h) => h.host === 'beta')?.state).toBe('offline');
    expect((await alerts()).some((a) => a.ruleId === 'host-offline' && a.series === 'host:alpha')).toBe(false);
  }, 120_000);
});
