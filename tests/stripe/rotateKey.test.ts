import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/dto/system';
import type { StripeKeyRotation, StripeStatus } from '../../shared/dto/stripe';
import { church, startServe } from '../helpers/cli';
import { useFakeStripe } from '../helpers/stripeSync';
import { addCustomer, addPrice, addProduct, addSubscription } from '../helpers/stripeShop';
import { tempDir } from '../helpers/tempDir';

const masked = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;

describe('church stripe rotate-key (a real church serve, the fake Stripe)', async () => {
  const fake = await useFakeStripe();
  const dir = tempDir('rotate-');

  function seedShop(): string {
    const customer = addCustomer(fake, 'Kept', 'kept@example.org');
    const price = addPrice(fake, addProduct(fake, 'Temple'), { amount: 500, interval: 'month' });
    addSubscription(fake, { customer, items: [{ price }] });
    return customer.id;
  }

  it('checks the new key with one read on the local copy\'s customer, replaces the old one, audits both prefixes and keeps the copy; refusals keep the old key', async () => {
    const customerId = seedShop();
    const oldKey = fake.addKey();
    const dataDir = join(dir, 'data');
    const serve = await startServe(dataDir, { STRIPE_API_KEY: oldKey, STRIPE_API_BASE: fake.base });
    const run = (args: string[], stdin?: string) => church([...args, '--data-dir', dataDir], { ...(stdin === undefined ? {} : { stdin }) });
    const status = async () => JSON.parse((await run(['stripe', 'status', '--json'])).stdout) as StripeStatus;
    try {
      const synced = await run(['stripe', 'sync', '--json']);
      expect(synced.code, synced.stderr).toBe(0);
      const before = await status();
      const subscribersBefore = (await run(['subscribers', '--json'])).stdout;
      expect(before.key).toMatchObject({ masked: masked(oldKey), store: 'environment', setAt: null, ageDays: null, rotateDue: false });

      // Never as an argument.
      const asArgument = await run(['stripe', 'rotate-key', fake.addKey()]);
      expect(asArgument.code).toBe(2);
      expect(asArgument.stderr).toMatch(/^church: give the new key on standard input, not as an argument/);

      // Refused: not restricted, revoked, the other mode, another account. The old key stays each time.
      const refusals: [string, RegExp][] = [
        ['sk_test_' + 'a'.repeat(24), /that is a full secret key \(sk_…\)/],
        [fake.addKey({ permissions: 'all', revoked: true }), /Stripe refused the new key \(.*\): it is revoked, expired or mistyped; the old key is kept/],
        [fake.addKey({ permissions: 'all' }, 'live'), /the key in use is a test key and the new one a live key.*the old key is kept/],
        [fake.addKey({ permissions: ['rak_product_read'] }), /the new key may not read customers \(rak_customer_read is missing\).*the old key is kept/],
      ];
      for (const [key, message] of refusals) {
        const r = await run(['stripe', 'rotate-key'], `${key}\n`);
        expect(r.code, r.stderr).not.toBe(0);
        expect(r.stderr, key.slice(0, 8)).toMatch(message);
        expect(r.stderr).not.toContain(key);
        expect((await status()).key.masked).toBe(masked(oldKey));
      }

      // The one read: the customer the local copy holds, with the new key.
      const newKey = fake.addKey();
      const readsBefore = fake.log.length;
      const rotated = await run(['stripe', 'rotate-key', '--json'], `${newKey}\n`);
      expect(rotated.code, rotated.stderr).toBe(0);
      const r = JSON.parse(rotated.stdout) as StripeKeyRotation;
      expect(r).toMatchObject({ previous: masked(oldKey), next: masked(newKey), mode: 'test', note: expect.stringContaining('STRIPE_API_KEY') });
      expect(fake.log.slice(readsBefore).map((q) => [q.method, q.path, q.auth])).toEqual([['GET', `/v1/customers/${customerId}`, `Bearer ${newKey}`]]);

      const after = await status();
      expect(after.key).toMatchObject({ masked: masked(newKey), ageDays: 0, rotateDue: false });
      expect(after.key.setAt).not.toBeNull();
      // Nothing of the local copy is lost, and the next sync reads with the new key.
      expect(after.counts).toEqual(before.counts);
      expect((await run(['subscribers', '--json'])).stdout).toBe(subscribersBefore);
      const syncFrom = fake.log.length;
      expect((await run(['stripe', 'sync', '--json'])).code).toBe(0);
      expect(new Set(fake.log.slice(syncFrom).map((q) => q.auth))).toEqual(new Set([`Bearer ${newKey}`]));

      // The audit: an entry with both prefixes; no key anywhere in the log.
      const audit = JSON.parse((await run(['audit', '--json', '--limit', '200'])).stdout) as AuditEntry[];
      const entry = audit.find((e) => e.action === 'stripe.keyRotated');
      expect(entry).toMatchObject({ actor: 'cli', ok: true });
      expect(JSON.parse(entry!.input)).toEqual({ previous: masked(oldKey), next: masked(newKey), mode: 'test' });
      const text = JSON.stringify(audit);
      for (const key of [oldKey, newKey]) expect(text).not.toContain(key);
      expect(audit.filter((e) => e.action === 'stripe.rotateKey').map((e) => e.ok).sort()).toEqual([false, false, false, false, true]);
    } finally {
      await serve.stop();
    }
  });

  it('a key that cannot see the local copy\'s customer (another account) is refused, the old key kept', async () => {
    const customerId = seedShop();
    const oldKey = fake.addKey();
    const dataDir = join(dir, 'other-account');
    const env = { STRIPE_API_KEY: oldKey, STRIPE_API_BASE: fake.base, CHURCH_NO_ATTACH: '1' };
    expect((await church(['stripe', 'sync', '--data-dir', dataDir], { env })).code).toBe(0);
    // Stripe answers a customer of another account with the same 404 as a missing one.
    fake.remove('customer', customerId);
    const r = await church(['stripe', 'rotate-key', '--data-dir', dataDir], { env, stdin: `${fake.addKey()}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`the new key cannot see customer ${customerId} of the local copy: it belongs to another Stripe account.*the old key is kept`));
  });
});
