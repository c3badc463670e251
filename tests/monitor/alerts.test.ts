import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import type { MonitorSettingsData } from '../../shared/dto/monitor';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';
import { decodeQuotedPrintable, startSmtp, subjectOf } from '../helpers/smtpServer';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

function settings(port: number, over: Partial<MonitorSettingsData> = {}): MonitorSettingsData {
  return {
    ...DEFAULT_MONITOR_SETTINGS,
    rules: [{ id: 'cpu-temp', enabled: true, family: 'cpu.temp', match: 'temp1', warn: 80, critical: 90, forSec: 2, hysteresis: 3, killSwitchAfterSec: null }],
    smtp: { enabled: true, host: '127.0.0.1', port, secure: false, user: 'lab', from: 'studio@lab.test', to: ['owner@lab.test'] },
    ...over,
  };
}

describe('alerts: desktop event, e-mail through a real SMTP server, audit log, kill switch', () => {
  let smtp: Smtp;
  let rejecting: Smtp;
  beforeAll(async () => {
    smtp = await startSmtp({ user: 'lab', pass: 's3cret' });
    rejecting = await startSmtp({ user: 'lab', pass: 's3cret', reject: true });
  });
  afterAll(async () => {
    await smtp?.close();
    await rejecting?.close();
  });

  it('a hot CPU fires one warning (desktop + e-mail + audit), holds, and sends one "cleared" when it cools', async () => {
    const f = FixtureTree.healthy();
    let t = 1_700_000_000_000;
    const m = makeFixtureMonitor(f.root, { now: () => t, smtpAllowSelfSigned: true }, { CHURCH_SMTP_PASSWORD: 's3cret' });
    await m.monitor.setSettings(settings(smtp.port));
    const step = async (pkgC: number) => {
      f.setTemp('hwmon0', 'temp1', pkgC);
      await m.monitor.tick();
      await m.monitor.idle();
      t += 1000;
    };
    for (const c of [70, 84, 85, 86, 87, 86, 85, 79, 78]) await step(c);
    expect(m.alerts.map((a) => [a.kind, a.level])).toEqual([['fired', 'warn']]);
    expect(m.alerts[0]!.title).toBe('WARNING: Package id 0 at 86.0 °C');
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail).toMatchObject({ from: 'studio@lab.test', to: ['owner@lab.test'], user: 'lab' });
    expect(subjectOf(mail.raw)).toBe('[Church Studio] WARNING: Package id 0 at 86.0 °C');
    expect(decodeQuotedPrintable(mail.raw)).toContain('Package id 0 is 86.0 °C (rule cpu-temp: warning 80.0 °C, critical 90.0 °C; held 2 s).');

    for (const c of [76, 75]) await step(c);
    expect(m.alerts.map((a) => a.kind)).toEqual(['fired', 'cleared']);
    expect(smtp.mails).toHaveLength(2);
    expect(subjectOf(smtp.mails[1]!.raw)).toBe('[Church Studio] Cleared: Package id 0 back to 76.0 °C');
    expect(decodeQuotedPrintable(smtp.mails[1]!.raw)).toMatch(/Peak 87\.0 °C, the episode lasted 6 s/);

    const history = m.monitor.alerts(10);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ ruleId: 'cpu-temp', level: 'warn', value: 86, peak: 87, clearedAt: t - 2000, killSwitchTriggered: false });
    expect(history[0]!.delivery).toMatch(/desktop notification; e-mail to owner@lab.test \(250 .*\); audit log/);
    const audit = m.audit.recent(20).map((a) => a.action);
    expect(audit.filter((a) => a.startsWith('monitor.alert'))).toEqual(['monitor.alert.cleared', 'monitor.alert.fired']);
    expect(m.errors).toEqual([]);
    await m.close();
  });

  it('a failing SMTP server (554, wrong password, nothing listening) is a logged error, not a crash; the alert still goes out', async () => {
    const f = FixtureTree.healthy({ pkgC: 95 });
    let t = 1_700_000_000_000;
    const m = makeFixtureMonitor(f.root, { now: () => t, smtpAllowSelfSigned: true }, { CHURCH_SMTP_PASSWORD: 's3cret' });
    await m.monitor.setSettings(settings(rejecting.port, { rules: [{ ...settings(0).rules[0]!, forSec: 0 }] }));
    await m.monitor.tick();
    await m.monitor.idle();
    expect(m.alerts.map((a) => [a.kind, a.level])).toEqual([['fired', 'critical']]);
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]).toMatch(/alert e-mail not sent: e-mail failed: the SMTP server refused the mail .*554/);
    expect(m.monitor.alerts(1)[0]!.delivery).toMatch(/e-mail failed/);
    expect(m.audit.recent(5).find((a) => a.action === 'monitor.alert.fired')).toMatchObject({ ok: false, errorCode: 'EXTERNAL' });

    m.monitor.setSmtpPassword('wrong');
    const bad = await m.monitor.testEmail().catch((e: unknown) => e);
    expect(bad).toMatchObject({ sent: false });
    // Each new server needs its password entered again (a password is bound to the server it was entered for).
    await m.monitor.setSettings(settings(smtp.port));
    m.monitor.setSmtpPassword('wrong');
    expect((await m.monitor.testEmail()).message).toMatch(/refused the login/);
    await m.monitor.setSettings(settings(1)); // nothing listens on port 1
    m.monitor.setSmtpPassword('wrong');
    expect((await m.monitor.testEmail()).message).toMatch(/cannot reach 127\.0\.0\.1:1/);
    await m.monitor.setSettings(settings(smtp.port));
    m.monitor.setSmtpPassword('s3cret');
    const before = smtp.mails.length;
    expect(await m.monitor.testEmail()).toMatchObject({ sent: true });
    expect(subjectOf(smtp.mails[before]!.raw)).toBe('[Church Studio] Test e-mail');
    t += 1000;
    await m.monitor.tick(); // the sampler carries on after all that
    await m.close();
  });

  it('never sends the password in clear: a server without STARTTLS gets no AUTH and the error says why; an explicit LAN opt-out sends it', async () => {
    const plain = await startSmtp({ user: 'lab', pass: 's3cret', plain: true });
    try {
      const f = FixtureTree.healthy();
      const m = makeFixtureMonitor(f.root, { smtpAllowSelfSigned: true }, { CHURCH_SMTP_PASSWORD: 's3cret' });
      await m.monitor.setSettings(settings(plain.port));
      const r = await m.monitor.testEmail();
      expect(r.sent).toBe(false);
      expect(r.message).toMatch(/offers no STARTTLS .*so the password was not sent; use TLS from the start \(port 465\) or a server with STARTTLS/);
      expect(plain.auths).toEqual([]);
      expect(plain.mails).toHaveLength(0);
      // Over STARTTLS the same settings log in, encrypted.
      const before = smtp.auths.length;
      await m.monitor.setSettings(settings(smtp.port));
      m.monitor.setSmtpPassword('s3cret'); // a new server: the password is entered for it
      expect(await m.monitor.testEmail()).toMatchObject({ sent: true });
      expect(smtp.auths.slice(before)).toEqual([{ password: 's3cret', secure: true }]);
      // A trusted relay on the LAN, opted out explicitly: plain login allowed.
      const s = settings(plain.port);
      await m.monitor.setSettings({ ...s, smtp: { ...s.smtp, allowPlainAuth: true } });
      m.monitor.setSmtpPassword('s3cret');
      expect(await m.monitor.testEmail()).toMatchObject({ sent: true });
      expect(plain.auths).toEqual([{ password: 's3cret', secure: false }]);
      expect(plain.mails).toHaveLength(1);
      await m.close();
    } finally {
      await plain.close();
    }
  });

  it('alert storm: a 32-core box running hot gives one alert and one e-mail with the default rules, naming the hottest sensor', async () => {
    const f = FixtureTree.healthy();
    f.coretemp('hwmon0', 88, Array.from({ length: 32 }, (_, i) => (i === 17 ? 93 : 86)));
    let t = 1_700_000_000_000;
    const m = makeFixtureMonitor(f.root, { now: () => t, smtpAllowSelfSigned: true }, { CHURCH_SMTP_PASSWORD: 's3cret' });
    const before = smtp.mails.length;
    const s = settings(smtp.port);
    await m.monitor.setSettings({ ...s, rules: DEFAULT_MONITOR_SETTINGS.rules.map((r) => ({ ...r, forSec: 0 })) });
    for (let i = 0; i < 3; i++) {
      await m.monitor.tick();
      await m.monitor.idle();
      t += 1000;
    }
    expect(m.alerts.map((a) => a.title)).toEqual(['CRITICAL: Core 17 at 93.0 °C']);
    expect(smtp.mails.length - before).toBe(1);
    expect(m.monitor.alerts(50)).toEqual([expect.objectContaining({ ruleId: 'cpu-temp', series: 'cpu.temp:max', label: 'Core 17', level: 'critical', clearedAt: null })]);
    // It cools everywhere: one "cleared" for the one episode.
    f.coretemp('hwmon0', 60, Array.from({ length: 32 }, () => 58));
    await m.monitor.tick();
    await m.monitor.idle();
    expect(m.alerts.map((a) => a.kind)).toEqual(['fired', 'cleared']);
    expect(m.monitor.alerts(50)[0]!.clearedAt).toBe(t);
    await m.close();
  });

  it('kill-switch action: triggers after the critical level held for the set time, once per episode', async () => {
    const f = FixtureTree.healthy({ pkgC: 93 });
    let t = 1_700_000_000_000;
    const m = makeFixtureMonitor(f.root, { now: () => t });
    await m.monitor.setSettings({
      ...DEFAULT_MONITOR_SETTINGS,
      rules: [{ id: 'cpu-hot', enabled: true, family: 'cpu.temp', match: 'temp1', warn: null, critical: 90, forSec: 0, hysteresis: 2, killSwitchAfterSec: 3 }],
    });
    for (let i = 0; i < 6; i++) {
      await m.monitor.tick();
      await m.monitor.idle();
      t += 1000;
    }
    expect(m.kills).toHaveLength(1);
    expect(m.kills[0]).toMatch(/monitor rule cpu-hot: Package id 0 critical \(93\.0 °C\) for 3 s/);
    expect(m.monitor.alerts(1)[0]).toMatchObject({ killSwitchTriggered: true, level: 'critical' });
    expect(m.audit.recent(10).some((a) => a.action === 'monitor.killSwitch')).toBe(true);
    await m.close();
  });

  it('broadcastAlert (the kill switch alert step) reaches every channel and says where', async () => {
    const f = FixtureTree.healthy();
    const m = makeFixtureMonitor(f.root, { smtpAllowSelfSigned: true }, { CHURCH_SMTP_PASSWORD: 's3cret' });
    await m.monitor.setSettings(settings(smtp.port, { desktopNotifications: false }));
    const before = smtp.mails.length;
    const summary = await m.monitor.broadcastAlert('Emergency kill switch triggered', 'Stopping the lab.');
    expect(summary).toMatch(/^desktop notification; e-mail to owner@lab.test \(250 .*\); audit log$/);
    expect(m.alerts).toEqual([expect.objectContaining({ kind: 'broadcast', title: 'Emergency kill switch triggered', body: 'Stopping the lab.' })]);
    expect(subjectOf(smtp.mails[before]!.raw)).toBe('[Church Studio] Emergency kill switch triggered');
    await m.close();
  });

  it('the first sample is taken at start; removing a rule closes its open episode', async () => {
    const f = FixtureTree.healthy({ pkgC: 95 });
    const m = makeFixtureMonitor(f.root);
    await m.monitor.setSettings({ ...settings(1), smtp: DEFAULT_MONITOR_SETTINGS.smtp, intervalMs: 60_000, rules: [{ ...settings(0).rules[0]!, forSec: 0 }] });
    m.monitor.start();
    const s = await m.monitor.current();
    expect(s.temps.find((t) => t.label === 'Package id 0')?.celsius).toBe(95);
    await m.monitor.idle();
    expect(m.monitor.alerts(1)[0]).toMatchObject({ level: 'critical', clearedAt: null });
    await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, rules: [] });
    expect(m.monitor.alerts(1)[0]!.clearedAt).not.toBeNull();
    expect(m.monitor.alerts(1)[0]!.delivery).toMatch(/the rule was removed or switched off/);
    await m.close();
  });

  it('settings are validated: an enabled SMTP needs host, sender and recipient; rule levels must make sense', async () => {
    const { monitorSettingsSchema } = await import('../../shared/contract/monitor');
    const bad = monitorSettingsSchema.safeParse({ ...DEFAULT_MONITOR_SETTINGS, smtp: { ...DEFAULT_MONITOR_SETTINGS.smtp, enabled: true } });
    expect(bad.success).toBe(false);
    const rule = { ...DEFAULT_MONITOR_SETTINGS.rules[0]!, warn: 95, critical: 90 };
    expect(monitorSettingsSchema.safeParse({ ...DEFAULT_MONITOR_SETTINGS, rules: [rule] }).success).toBe(false);
    expect(monitorSettingsSchema.safeParse(DEFAULT_MONITOR_SETTINGS).success).toBe(true);
  });
});
