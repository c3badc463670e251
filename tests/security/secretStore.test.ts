import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { EncryptedFileSecretStore, type Cipher } from '../../electron/platform/secrets';
import { tempDir } from '../helpers/tempDir';

/**
 * Electron's safeStorage cannot run here (no Electron runtime). This stands in for it faithfully on Linux: with
 * a Secret Service it reports gnome_libsecret; without one it reports basic_text and encrypts, as Chromium's
 * OSCrypt does, with AES-128-CBC under a key derived from the built-in password "peanuts".
 */
function linuxSafeStorage(backend: 'gnome_libsecret' | 'basic_text'): Cipher {
  const key = pbkdf2Sync(backend === 'basic_text' ? 'peanuts' : randomBytes(16).toString('hex'), 'saltysalt', 1, 16, 'sha1');
  const iv = Buffer.alloc(16, ' ');
  return {
    isAvailable: () => true,
    encrypt: (plain) => {
      const c = createCipheriv('aes-128-cbc', key, iv);
      return Buffer.concat([Buffer.from('v10'), c.update(plain, 'utf8'), c.final()]);
    },
    decrypt: (data) => {
      const d = createDecipheriv('aes-128-cbc', key, iv);
      return Buffer.concat([d.update(data.subarray(3)), d.final()]).toString('utf8');
    },
    backend: () => backend,
  };
}

const KEY = 'rk_test_' + 'a1B2c3D4e5F6g7H8i9J0kLmN';

describe('the keychain says the truth (item 3)', () => {
  const hosts: ReturnType<typeof createHost>[] = [];
  afterAll(async () => {
    for (const h of hosts) await h.close();
  });
  const hostWith = (backend: 'gnome_libsecret' | 'basic_text') => {
    const dataDir = tempDir('church-secrets-');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false, secrets: new EncryptedFileSecretStore(join(dataDir, 'secrets'), linuxSafeStorage(backend)) });
    hosts.push(host);
    return { host, dataDir };
  };

  it('with a Secret Service: "OS keychain", and the key is stored', async () => {
    const { host } = hostWith('gnome_libsecret');
    expect(await host.dispatch('secrets.storeInfo', {}, { actor: 'ui' })).toMatchObject({ ok: true, value: { kind: 'os-keychain', backend: 'gnome_libsecret' } });
    const set = await host.dispatch('stripe.setKey', { key: KEY }, { actor: 'ui' });
    expect(set).toMatchObject({ ok: true, value: { key: { present: true, store: 'os-keychain' } } });
  });

  it('with basic_text: says so, refuses to store until the owner accepts, then stores', async () => {
    const { host, dataDir } = hostWith('basic_text');
    const info = await host.dispatch('secrets.storeInfo', {}, { actor: 'ui' });
    expect(info).toMatchObject({ ok: true, value: { kind: 'weak-file', backend: 'basic_text', weakAccepted: false } });
    expect(JSON.stringify(info)).toMatch(/gnome-keyring or KWallet/);

    const refused = await host.dispatch('stripe.setKey', { key: KEY }, { actor: 'ui' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/Settings › Secrets/);
    const smtp = await host.dispatch('monitor.setSmtpPassword', { password: 'hunter2' }, { actor: 'ui' });
    expect(smtp).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(existsSync(join(dataDir, 'secrets')) ? readdirSync(join(dataDir, 'secrets')) : []).toEqual([]);

    expect(await host.dispatch('secrets.acceptWeakStore', { accept: true }, { actor: 'ui' })).toMatchObject({ ok: true, value: { kind: 'weak-file', weakAccepted: true } });
    expect(await host.dispatch('stripe.setKey', { key: KEY }, { actor: 'ui' })).toMatchObject({ ok: true, value: { key: { present: true, store: 'weak-file' } } });
    // The consent is audited, like every change.
    const audit = await host.dispatch('audit.recent', { limit: 5 }, { actor: 'ui' });
    expect(JSON.stringify(audit)).toContain('secrets.acceptWeakStore');
  });

  it('headless modes report the environment as the store', async () => {
    const host = createHost({ dataDir: tempDir('church-secrets-env-'), logError: () => undefined, startEngines: false });
    hosts.push(host);
    expect(await host.dispatch('secrets.storeInfo', {}, { actor: 'cli' })).toMatchObject({ ok: true, value: { kind: 'environment', backend: null } });
  });
});
