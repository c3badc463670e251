import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { DEFAULT_ALERT_CHANNELS } from '../../shared/contract/alertChannels';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import type { AlertChannelsSettings } from '../../shared/dto/alertChannels';
import type { MonitorSettingsData, MonitorSettingsView } from '../../shared/dto/monitor';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';
import { startPushReceiver, type PushReceiver } from '../helpers/pushReceiver';
import { tempDir } from '../helpers/tempDir';

const HOT_RULE = { id: 'cpu-temp', enabled: true, family: 'cpu.temp' as const, match: 'temp1', warn: 80, critical: 90, forSec: 0, hysteresis: 3, killSwitchAfterSec: null };

function settings(channels: Partial<AlertChannelsSettings>): MonitorSettingsData {
  return { ...DEFAULT_MONITOR_SETTINGS, desktopNotifications: false, rules: [HOT_RULE], channels: { ...DEFAULT_ALERT_CHANNELS, ...channels } };
}

const DISCORD_LIKE = '{"content": "**{{title}}**\\n{{message}}", "embeds": [{"fields": [{"name": "value", "value": "{{value}} {{unit}}"}]}], "level": "{{level}}", "value": "{{value}}", "host": "{{host}}"}';

describe('push channels against real HTTP receivers that check requests as ntfy, Gotify and a webhook receiver do', () => {
  let ntfy: PushReceiver;
  let gotify: PushReceiver;
  let hook: PushReceiver;
  beforeAll(async () => {
    ntfy = await startPushReceiver('ntfy', { token: 'tk_studio0123456789' });
    gotify = await startPushReceiver('gotify', { token: 'AgotifyAppToken' });
    hook = await startPushReceiver('webhook');
  });
  afterAll(async () => {
    await Promise.all([ntfy?.close(), gotify?.close(), hook?.close()]);
  });

  it('a critical alert reaches all three, each request as its server documents it; the history and audit say where it went', async () => {
    const f = FixtureTree.healthy({ pkgC: 95 });
    const m = makeFixtureMonitor(f.root, { now: () => 1_700_000_000_000 });
    await m.monitor.setSettings(
      settings({
        ntfy: { enabled: true, server: ntfy.url, topic: 'studio-alerts', user: '', priority: 'by-level', tags: ['computer'] },
        gotify: { enabled: true, server: `${gotify.url}/`, priority: 'by-level' },
        webhook: { enabled: true, url: `${hook.url}/hooks/church`, template: DISCORD_LIKE },
      }),
    );
    m.monitor.setChannelSecret('ntfy', 'tk_studio0123456789');
    m.monitor.setChannelSecret('gotify', 'AgotifyAppToken');
    const n0 = ntfy.received.length;
    await m.monitor.tick();
    await m.monitor.idle();

    const n = ntfy.received.slice(n0);
    expect(n).toHaveLength(1);
    expect(n[0]!.method).toBe('POST');
    expect(n[0]!.ntfy).toEqual({ topic: 'studio-alerts', title: 'CRITICAL: Package id 0 at 95.0 °C', priority: 5, tags: ['rotating_light', 'computer'], auth: 'token' });
    expect(n[0]!.headers.authorization).toBe('Bearer tk_studio0123456789');
    expect(n[0]!.body).toBe('Package id 0 is 95.0 °C (rule cpu-temp: warning 80.0 °C, critical 90.0 °C; held 0 s).');

    const g = gotify.received.at(-1)!;
    expect(g.path).toBe('/message');
    expect(g.query.get('token')).toBeNull(); // the token travels in the header, never in a URL a log keeps
    expect(g.gotify).toEqual({ title: 'CRITICAL: Package id 0 at 95.0 °C', message: n[0]!.body, priority: 8, token: 'AgotifyAppToken' });

    const w = hook.received.at(-1)!;
    expect(w.path).toBe('/hooks/church');
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.headers.authorization).toBeUndefined();
    expect(w.json).toEqual({
      content: `**CRITICAL: Package id 0 at 95.0 °C**\n${n[0]!.body}`,
      embeds: [{ fields: [{ name: 'value', value: '95 °C' }] }],
      level: 'critical',
      value: 95,
      host: null,
    });

    const delivery = m.monitor.alerts(1)[0]!.delivery;
    expect(delivery).toContain(`ntfy to ${ntfy.url}/studio-alerts (200 OK)`);
    expect(delivery).toContain(`Gotify to ${gotify.url}/message (200 OK)`);
    expect(delivery).toContain(`Webhook to ${hook.url}/hooks/church (204 No Content)`);
    expect(m.audit.recent(5).find((a) => a.action === 'monitor.alert.fired')).toMatchObject({ ok: true });
    expect(m.errors).toEqual([]);
    await m.close();
  });

  it('ntfy with a user sends Basic auth; a wrong password is the server\'s 403 in words, and a cleared alert goes out quietly', async () => {
    const withUser = await startPushReceiver('ntfy', { user: 'phil', token: 'pw:with:colons' });
    try {
      const f = FixtureTree.healthy({ pkgC: 95 });
      let t = 1_700_000_000_000;
      const m = makeFixtureMonitor(f.root, { now: () => t });
      await m.monitor.setSettings(settings({ ntfy: { enabled: true, server: withUser.url, topic: 'lab', user: 'phil', priority: 'by-level', tags: [] } }));
      m.monitor.setChannelSecret('ntfy', 'wrong');
      const bad = await m.monitor.testChannel('ntfy');
      expect(bad.sent).toBe(false);
      expect(bad.message).toMatch(/^ntfy failed: 127\.0\.0\.1:\d+ answered 403 forbidden \(check the token or password stored for it\)$/);
      m.monitor.setChannelSecret('ntfy', 'pw:with:colons');
      expect(await m.monitor.testChannel('ntfy')).toMatchObject({ sent: true });
      expect(withUser.received.at(-1)!.ntfy).toMatchObject({ title: 'Test alert', auth: 'phil', priority: 4 });
      await m.monitor.tick();
      f.setTemp('hwmon0', 'temp1', 60);
      t += 1000;
      await m.monitor.tick();
      await m.monitor.idle();
      expect(withUser.received.slice(-2).map((r) => [r.ntfy!.priority, r.ntfy!.tags[0]])).toEqual([[5, 'rotating_light'], [2, 'white_check_mark']]);
      await m.close();
    } finally {
      await withUser.close();
    }
  });

  it('a receiver that answers 500, one that never answers and one that is down: clear errors, and the working channel still gets the alert', async () => {
    const broken = await startPushReceiver('gotify', { mode: 'error500' });
    const hung = await startPushReceiver('webhook', { mode: 'hang' });
    const down = await startPushReceiver('ntfy');
    await down.close(); // nothing listens on its port any more
    try {
      const f = FixtureTree.healthy({ pkgC: 95 });
      const m = makeFixtureMonitor(f.root, { pushTimeoutMs: 400 });
      await m.monitor.setSettings(
        settings({
          ntfy: { enabled: true, server: down.url, topic: 'x', user: '', priority: 3, tags: [] },
          gotify: { enabled: true, server: broken.url, priority: 'by-level' },
          webhook: { enabled: true, url: hook.url, template: DEFAULT_ALERT_CHANNELS.webhook.template },
        }),
      );
      m.monitor.setChannelSecret('gotify', 'any');
      const before = hook.received.length;
      // The working webhook first, then the hung one in its place: both alerts must be handled.
      await m.monitor.tick();
      await m.monitor.idle();
      expect(hook.received.length).toBe(before + 1);
      expect(hook.received.at(-1)!.json).toMatchObject({ title: 'CRITICAL: Package id 0 at 95.0 °C', level: 'critical', kind: 'fired', rule: 'cpu-temp', value: 95, unit: '°C', host: null });
      const delivery = m.monitor.alerts(1)[0]!.delivery;
      expect(delivery).toMatch(/ntfy failed: cannot reach 127\.0\.0\.1:\d+: nothing listens there \(connection refused\); check the address and port/);
      expect(delivery).toMatch(/Gotify failed: 127\.0\.0\.1:\d+ answered 500 internal error: the disk is full/);
      expect(m.errors.filter((e) => /alert not pushed/.test(e))).toHaveLength(2);
      expect(m.audit.recent(5).find((a) => a.action === 'monitor.alert.fired')).toMatchObject({ ok: false, errorCode: 'EXTERNAL' });

      await m.monitor.setSettings(settings({ webhook: { enabled: true, url: hung.url, template: DEFAULT_ALERT_CHANNELS.webhook.template } }));
      const r = await m.monitor.testChannel('webhook');
      expect(r).toEqual({ sent: false, message: `Webhook failed: no answer from 127.0.0.1:${hung.port} within 400 ms; check that the server is up` });
      expect(hung.arrived).toBe(1);
      await m.monitor.tick(); // the sampler carries on
      await m.close();
    } finally {
      await broken.close();
      await hung.close();
    }
  });

  it('a token is never sent to a changed address: moving the server clears it, and the test says to enter it again', async () => {
    const other = await startPushReceiver('gotify');
    try {
      const f = FixtureTree.healthy();
      const m = makeFixtureMonitor(f.root);
      await m.monitor.setSettings(settings({ gotify: { enabled: true, server: gotify.url, priority: 5 } }));
      m.monitor.setChannelSecret('gotify', 'AgotifyAppToken');
      expect(m.monitor.getSettings().channelSecrets.gotify).toEqual({ set: true, note: null });
      expect(await m.monitor.testChannel('gotify')).toMatchObject({ sent: true });
      expect(gotify.received.at(-1)!.gotify).toMatchObject({ title: 'Test alert', priority: 5 });

      await m.monitor.setSettings(settings({ gotify: { enabled: true, server: other.url, priority: 5 } }));
      const view = m.monitor.getSettings().channelSecrets.gotify;
      expect(view.set).toBe(false);
      expect(view.note).toMatch(/changed to http:\/\/127\.0\.0\.1:\d+ since the application token was entered, so it was cleared: enter the application token for the new address in Settings → Monitor → Gotify/);
      const r = await m.monitor.testChannel('gotify');
      expect(r.sent).toBe(false);
      expect(r.message).toMatch(/^Gotify not sent: the Gotify address changed/);
      expect(other.arrived).toBe(0);
      // Moving back does not bring it back either: the owner enters it again.
      await m.monitor.setSettings(settings({ gotify: { enabled: true, server: gotify.url, priority: 5 } }));
      expect(m.monitor.getSettings().channelSecrets.gotify.set).toBe(false);
      await m.close();
    } finally {
      await other.close();
    }
  });

  it('through the contract: owner only, the secret redacted in the audit log, an unsaved channel refused with what to do', async () => {
    const f = FixtureTree.healthy();
    const host = createHost({ dataDir: tempDir('church-channels-'), env: { CHURCH_MONITOR_ROOT: f.root }, startEngines: false, logError: () => undefined });
    try {
      const unsaved = await host.dispatch('monitor.testChannel', { channel: 'ntfy' }, { actor: 'cli' });
      expect(unsaved.ok === false && unsaved.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/fill in and save the ntfy server and topic first/) });
      expect((await host.dispatch('monitor.testChannel', { channel: 'ntfy' }, { actor: 'mcp' })).ok === false).toBe(true);
      expect((await host.dispatch('monitor.setChannelSecret', { channel: 'ntfy', secret: 'tk_x' }, { actor: 'mcp' })).ok).toBe(false);
      const s = settings({ ntfy: { enabled: true, server: ntfy.url, topic: 'contract', user: '', priority: 'by-level', tags: [] } });
      expect((await host.dispatch('monitor.setSettings', { settings: s }, { actor: 'cli' })).ok).toBe(true);
      const stored = await host.dispatch('monitor.setChannelSecret', { channel: 'ntfy', secret: 'tk_studio0123456789' }, { actor: 'cli' });
      expect(stored.ok && (stored.value as MonitorSettingsView).channelSecrets.ntfy).toEqual({ set: true, note: null });
      expect(JSON.stringify(stored)).not.toContain('tk_studio0123456789');
      const sent = await host.dispatch('monitor.testChannel', { channel: 'ntfy' }, { actor: 'cli' });
      expect(sent.ok && sent.value).toMatchObject({ sent: true });
      expect(ntfy.received.at(-1)!.ntfy).toMatchObject({ topic: 'contract', auth: 'token' });
      expect(host.audit.recent(10).map((a) => a.input).join('\n')).not.toContain('tk_studio0123456789');
      const badTemplate = await host.dispatch('monitor.setSettings', { settings: settings({ webhook: { enabled: true, url: hook.url, template: '{"text": "{{secret}}"}' } }) }, { actor: 'cli' });
      expect(badTemplate.ok === false && badTemplate.error.message).toMatch(/\{\{secret\}\} is not a field of an alert/);
      const withPassword = await host.dispatch('monitor.setSettings', { settings: settings({ gotify: { enabled: true, server: 'https://u:p@gotify.lan', priority: 5 } }) }, { actor: 'cli' });
      expect(withPassword.ok === false && withPassword.error.message).toMatch(/the Gotify server: an http:\/\/ or https:\/\/ address without a user or password/);
    } finally {
      await host.close();
    }
  });
});
