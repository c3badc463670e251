import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretAgeLines } from '../../electron/cli/commands/secretAgeLines';
import { createHost } from '../../electron/host/createHost';
import { secretAges } from '../../electron/host/handlers/secrets';
import { openDatabase } from '../../electron/platform/db';
import { DatedSecretStore, EncryptedFileSecretStore, EnvironmentSecretStore, type Cipher } from '../../electron/platform/secrets';
import { SettingsStore } from '../../electron/platform/settings';
import type { SecretAge } from '../../shared/dto/secrets';
import type { StripeStatus } from '../../shared/dto/stripe';
import type { Result } from '../../shared/errors';
import { tempDir } from '../helpers/tempDir';

const DAY = 86_400_000;
const KEY = 'rk_live_51OlderThanTheDates0123456789';
const NEW_KEY = 'rk_live_51EnteredAfterTheDates0123456789';

/** A keychain stand-in (Electron's safeStorage is not here): reversible, and never the plain text on disk. */
const cipher: Cipher = {
  isAvailable: () => true,
  encrypt: (plain) => Buffer.from(plain, 'utf8').reverse(),
  decrypt: (data) => Buffer.from(data).reverse().toString('utf8'),
};

async function call<T>(host: ReturnType<typeof createHost>, name: Parameters<typeof host.dispatch>[0], input: unknown): Promise<T> {
  const r = (await host.dispatch(name, input, { actor: 'ui' })) as Result<T>;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('every stored secret records when it was set', () => {
  const dir = tempDir('secret-ages-');

  it('a secret stored before dates were kept shows "unknown" and keeps its value; one set now is dated, across restarts', async () => {
    const dataDir = join(dir, 'data');
    const store = () => new EncryptedFileSecretStore(join(dataDir, 'secrets'), cipher);
    // As an older build left it: the encrypted file, and no date anywhere.
    store().set('stripe-key', KEY);
    const open = () => createHost({ dataDir, startEngines: false, logError: () => undefined, secrets: store() });
    let host = open();
    try {
      const ages = await call<SecretAge[]>(host, 'secrets.ages', {});
      expect(ages.find((a) => a.name === 'stripe-key')).toEqual({
        name: 'stripe-key',
        label: 'Stripe restricted key',
        set: true,
        setAt: null,
        ageDays: null,
        envVar: 'STRIPE_API_KEY',
        rotateAfterDays: 90,
        rotateDue: false,
      });
      expect(ages.find((a) => a.name === 'smtp-password')).toMatchObject({ set: false, setAt: null });
      expect((await call<StripeStatus>(host, 'stripe.status', {})).key).toMatchObject({ masked: 'rk_live_…6789', setAt: null, ageDays: null });
      expect(secretAgeLines(ages)).toEqual(['secrets  Stripe restricted key: age unknown']);
      await call(host, 'monitor.setSmtpPassword', { password: 'hunter2-but-longer' });
    } finally {
      await host.close();
    }
    host = open();
    try {
      const ages = await call<SecretAge[]>(host, 'secrets.ages', {});
      const smtp = ages.find((a) => a.name === 'smtp-password')!;
      expect(smtp).toMatchObject({ set: true, ageDays: 0 });
      expect(Date.now() - Date.parse(smtp.setAt!)).toBeLessThan(60_000);
      // The old key is still there and still undated; nothing was migrated away.
      expect(store().get('stripe-key')).toBe(KEY);
      expect(ages.find((a) => a.name === 'stripe-key')).toMatchObject({ set: true, setAt: null });
      await call(host, 'stripe.setKey', { key: NEW_KEY });
      expect((await call<StripeStatus>(host, 'stripe.status', {})).key).toMatchObject({ masked: 'rk_live_…6789', ageDays: 0, rotateDue: false });
      await call(host, 'stripe.clearKey', {});
      expect((await call<SecretAge[]>(host, 'secrets.ages', {})).find((a) => a.name === 'stripe-key')).toMatchObject({ set: false, setAt: null });
    } finally {
      await host.close();
    }
  });

  it('the Stripe key is due for rotation at 90 days: the ages say so and doctor\'s lines warn with what to run', () => {
    const db = openDatabase(join(dir, 'due.sqlite'));
    const settings = new SettingsStore(db);
    const envVars = { 'stripe-key': 'STRIPE_API_KEY', 'smtp-password': 'CHURCH_SMTP_PASSWORD' };
    const setAt = new Date(Date.now() - 91 * DAY);
    const secrets = new DatedSecretStore(new EnvironmentSecretStore({}, envVars), settings, () => setAt);
    secrets.set('stripe-key', KEY);
    secrets.set('smtp-password', 'a-password-also-old');
    const ages = secretAges(secrets, envVars);
    expect(ages.map((a) => [a.name, a.ageDays, a.rotateDue])).toEqual([
      ['stripe-key', 91, true],
      // No rotation rule for the SMTP password: old, not due.
      ['smtp-password', 91, false],
    ]);
    expect(secretAges(secrets, envVars, setAt.getTime() + 89 * DAY)[0]!.rotateDue).toBe(false);
    const lines = secretAgeLines(ages).join('\n');
    expect(lines).toContain(`Stripe restricted key: set 91 days ago (${setAt.toISOString().slice(0, 10)})`);
    expect(lines).toContain('! older than 90 days: make a new restricted key and run "church stripe rotate-key"');
    expect(lines).not.toContain(KEY);
    db.close();
  });
});
