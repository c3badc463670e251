import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import type { MonitorSettingsData, MonitorSettingsView } from '../../shared/dto/monitor';
import { EnvironmentSecretStore } from '../../electron/platform/secrets';
import { testHost } from '../helpers/host';
import { startSmtp } from '../helpers/smtpServer';
import { tempDir } from '../helpers/tempDir';
import { createHost } from '../../electron/host/createHost';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** The owner's SMTP settings for a plain relay on 127.0.0.1 (plain: the test needs no certificate exception). */
function smtpSettings(port: number): MonitorSettingsData {
  return {
    ...DEFAULT_MONITOR_SETTINGS,
    smtp: { enabled: true, host: '127.0.0.1', port, secure: false, user: 'owner', allowPlainAuth: true, from: 'studio@lab.test', to: ['owner@lab.test'] },
  };
}

describe('secrets bound to their destination: SMTP (a real SMTP listener on 127.0.0.1)', () => {
  let owners: Smtp;
  let attackers: Smtp;
  beforeAll(async () => {
    owners = await startSmtp({ user: 'owner', pass: 'the-owners-smtp-password', plain: true });
    // The attacker's server records every AUTH it gets, whatever the password.
    attackers = await startSmtp({ user: 'nobody', pass: 'nothing', plain: true });
  });
  afterAll(async () => {
    await owners?.close();
    await attackers?.close();
  });

  it('a browser token that moves the SMTP host and presses "test e-mail" gets no password at its server, and is told to enter one', async () => {
    const host = testHost({ secrets: new EnvironmentSecretStore({}, { 'smtp-password': 'CHURCH_SMTP_PASSWORD' }) });
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const r = await host.dispatch(name as never, input as never, { actor: 'web' });
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.value as T;
    };
    // The owner: settings, then the password for that server; the test e-mail goes out.
    await call('monitor.setSettings', { settings: smtpSettings(owners.port) });
    await call('monitor.setSmtpPassword', { password: 'the-owners-smtp-password' });
    expect(await call('monitor.testEmail', {})).toMatchObject({ sent: true });
    expect(owners.auths.map((a) => a.password)).toEqual(['the-owners-smtp-password']);

    // The attacker (any credential that may change settings): the host moves to its server.
    const moved = await call<MonitorSettingsView>('monitor.setSettings', { settings: smtpSettings(attackers.port) });
    expect(moved.smtpPasswordSet).toBe(false);
    expect(moved.smtpPasswordNote).toMatch(/SMTP server changed to 127\.0\.0\.1:\d+ .*cleared: enter the password for the new server/);
    const test = await call('monitor.testEmail', {}).catch((e: unknown) => e as Error & { code: string });
    expect(test).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/no test e-mail was sent: .*enter the password for the new server/) });
    expect(attackers.auths).toEqual([]);
    // Moving back does not bring the password back either: it was cleared, not parked.
    await call('monitor.setSettings', { settings: smtpSettings(owners.port) });
    expect((await call<MonitorSettingsView>('monitor.getSettings', {})).smtpPasswordSet).toBe(false);

    // The owner enters it again for the server now saved: it works there, and only there.
    await call('monitor.setSmtpPassword', { password: 'the-owners-smtp-password' });
    expect(await call('monitor.testEmail', {})).toMatchObject({ sent: true });
    expect(attackers.auths).toEqual([]);
  });

  it('a password from the environment (CHURCH_SMTP_PASSWORD) stays bound across a restart: the moved host never receives it', async () => {
    const dataDir = tempDir('church-bound-smtp-');
    const env = { CHURCH_SMTP_PASSWORD: 'the-owners-smtp-password' };
    const open = () => createHost({ dataDir, logError: () => undefined, startEngines: false, secrets: new EnvironmentSecretStore({ ...env }, { 'smtp-password': 'CHURCH_SMTP_PASSWORD' }) });
    const first = open();
    await first.monitor.setSettings(smtpSettings(owners.port));
    expect(await first.monitor.testEmail()).toMatchObject({ sent: true });
    await first.monitor.setSettings(smtpSettings(attackers.port));
    await first.close();

    const second = open(); // the studio restarted: the variable is back in the environment
    try {
      expect(second.monitor.getSettings()).toMatchObject({ smtpPasswordSet: false, smtpPasswordNote: expect.stringMatching(/enter the password for the new server/) });
      await expect(second.monitor.testEmail()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      // An alert's e-mail is not sent there either, and says why.
      expect(await second.monitor.broadcastAlert('Kill switch', 'test')).toMatch(/e-mail not sent: .*enter the password for the new server/);
      expect(attackers.auths).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('the Prometheus scrape token is kept for the address the endpoint was opened on: a wider bind address clears it', async () => {
    const host = testHost({ startEngines: false, secrets: new EnvironmentSecretStore({}, { 'prometheus-token': 'CHURCH_PROMETHEUS_TOKEN' }) });
    const at = (bindAddress: string): MonitorSettingsData => ({ ...DEFAULT_MONITOR_SETTINGS, prometheus: { enabled: true, port: 9101, bindAddress } });
    // Entered while the endpoint is on loopback (where no token is asked): it binds to the first LAN address saved.
    await host.monitor.setPrometheusToken('a-token-for-the-lan-prometheus-0123');
    expect((await host.monitor.setSettings(at('192.168.1.20'))).prometheusTokenSet).toBe(true);
    expect((await host.monitor.setSettings(at('127.0.0.1'))).prometheusTokenSet).toBe(true);
    expect((await host.monitor.setSettings(at('192.168.1.20'))).prometheusTokenSet).toBe(true);
    // Opened to every interface by a settings request without a new token: cleared, and the view says so.
    const wide = await host.monitor.setSettings(at('0.0.0.0'));
    expect(wide).toMatchObject({ prometheusTokenSet: false, prometheusTokenNote: expect.stringMatching(/moved to 0\.0\.0\.0 .*enter a token for the new address/) });
    expect((await host.monitor.setPrometheusToken('a-new-token-for-every-interface-01')).prometheusTokenSet).toBe(true);
  });
});
