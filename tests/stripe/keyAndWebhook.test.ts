import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { checkRestrictedKey, maskKey, scrubKeys } from '../../electron/domains/stripe';
import { redact } from '../../electron/platform/audit/redact';
import { openDatabase } from '../../electron/platform/db';
import { StripeStore } from '../../electron/domains/stripe/store';
import { testHost } from '../helpers/host';
import { addCustomer, seedShop } from '../helpers/stripeShop';
import { useStripeSync, useFakeStripe } from '../helpers/stripeSync';

describe('the restricted key', () => {
  it('accepts rk_live_/rk_test_ and refuses sk_ with how to make a restricted key and the read permissions', () => {
    expect(checkRestrictedKey(' rk_live_abcdefgh12345678 ')).toEqual({ key: 'rk_live_abcdefgh12345678', mode: 'live' });
    expect(checkRestrictedKey('rk_test_abcdefgh1234').mode).toBe('test');
    expect(() => checkRestrictedKey('sk_live_abcdefgh12345678')).toThrow(/full secret key.*Create restricted key.*Customers: Read.*Subscriptions: Read.*Events: Read/);
    expect(() => checkRestrictedKey('pk_test_abcdefgh12345678')).toThrow(/publishable key/);
    expect(() => checkRestrictedKey('hello')).toThrow(/rk_live_/);
  });

  it('is masked as rk_live_…abcd and scrubbed from messages', () => {
    expect(maskKey('rk_live_0123456789abcd')).toBe('rk_live_…abcd');
    expect(scrubKeys("The provided key 'rk_test_********abcd' and rk_live_0123456789wxyz")).toBe("The provided key 'rk_test_…abcd' and rk_live_…wxyz");
    expect(redact({ key: 'rk_live_0123456789abcd' })).toEqual({ key: '[redacted]' });
    expect(redact({ note: 'pasted rk_live_0123456789abcd' })).toEqual({ note: 'pasted rk_live_…[redacted]' });
  });

  it('a sk_ key from STRIPE_API_KEY is refused before any request', async () => {
    const fake = await useFakeStripe();
    const { sync } = useStripeSync(fake, 'sk_test_0123456789abcdef');
    expect(() => sync.sync()).toThrow(/restricted key/);
    expect(fake.log).toHaveLength(0);
  });

  it('never reaches the audit log, the status, the events or the errors the UI sees', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 3 });
    const host = testHost({ env: { ...process.env, STRIPE_API_BASE: fake.base, STRIPE_API_KEY: '' } });
    const seen: string[] = [];
    host.events.subscribe((name, payload) => seen.push(JSON.stringify({ name, payload })));
    const key = fake.addKey();
    const ctx = { actor: 'ui' as const };
    const refused = await host.dispatch('stripe.setKey', { key: 'sk_live_0123456789abcdefSECRET' }, ctx);
    expect(refused.ok).toBe(false);
    const set = await host.dispatch('stripe.setKey', { key }, ctx);
    expect(set.ok).toBe(true);
    const outputs = [JSON.stringify(set)];
    outputs.push(JSON.stringify(await host.dispatch('stripe.status', {}, ctx)));
    outputs.push(JSON.stringify(await host.dispatch('stripe.sync', {}, ctx)));
    fake.keys.get(key)!.revoked = true;
    outputs.push(JSON.stringify(await host.dispatch('stripe.sync', { full: true }, ctx)));
    outputs.push(JSON.stringify(await host.dispatch('stripe.subscribers', {}, ctx)));
    const audit = JSON.stringify(host.db.prepare('SELECT * FROM audit_log').all());
    for (const text of [...outputs, ...seen, audit]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(8, 24));
      expect(text).not.toContain('0123456789abcdefSECRET');
    }
    expect(outputs[1]).toContain(`rk_test_…${key.slice(-4)}`);
    expect(audit).toContain('stripe.setKey');
    expect(outputs[3]).toContain('key-rejected');
    // The fake saw the real key: it was used, only never shown.
    expect(fake.log.some((r) => r.auth === `Bearer ${key}`)).toBe(true);
  });
});

describe('the loopback webhook endpoint', () => {
  it('applies an event only when its Stripe-Signature matches the signing secret', async () => {
    const fake = await useFakeStripe();
    const cus = addCustomer(fake, 'Webhook Wendy', 'wendy@example.test');
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    const secret = 'whsec_testsecret0123456789';
    sync.setWebhookSecret(secret);
    const url = await sync.startWebhook(0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);

    const ev = fake.update('customer', cus.id, { name: 'Wendy Renamed' });
    const payload = JSON.stringify(ev);
    const post = (headers: Record<string, string>, body = payload) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const forged = await post({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrongsecret' }) });
    expect(forged.status).toBe(400);
    expect((await post({})).status).toBe(400);
    const tampered = await post({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) }, payload.replace('Wendy Renamed', 'Mallory'));
    expect(tampered.status).toBe(400);
    const stale = await post({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - 3600 }) });
    expect(stale.status).toBe(400);
    expect(sync.store.get('customer', cus.id)).toMatchObject({ name: 'Webhook Wendy' });

    const good = await post({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) });
    expect(good.status).toBe(200);
    expect(sync.store.get('customer', cus.id)).toMatchObject({ name: 'Wendy Renamed' });
    await sync.stopWebhook();
  });
});

describe('the offline review', () => {
  it('searches, filters, sorts and exports the subscribers; shows a customer page', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 40, invoicesPerSub: 2 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    const base = { sort: 'created' as const, dir: 'desc' as const, offset: 0, limit: 500 };
    const all = sync.subscribers(base);
    expect(all.total).toBe(40);
    expect(all.statusCounts).toEqual({ active: 28, past_due: 4, trialing: 4, canceled: 4 });
    const late = sync.subscribers({ ...base, status: ['past_due'] });
    expect(late.rows.every((r) => r.status === 'past_due' && r.lastInvoiceStatus === 'open')).toBe(true);
    expect(late.total).toBe(4);
    const one = sync.subscribers({ ...base, search: 'SUB10@EXAMPLE' });
    expect(one.rows.map((r) => r.name)).toEqual(['Subscriber 10']);
    expect(one.rows[0]).toMatchObject({ product: 'Church Devotee', interval: 'year', amount: 12_000, mrr: 1000, lifetimePaid: 500, currency: 'usd' });
    const byMrr = sync.subscribers({ ...base, sort: 'mrr', dir: 'desc' }).rows.map((r) => r.mrr);
    expect(byMrr).toEqual([...byMrr].sort((a, b) => b - a));
    const byName = sync.subscribers({ ...base, sort: 'name', dir: 'asc', limit: 3 }).rows.map((r) => r.name);
    expect(byName).toEqual(['Subscriber 0', 'Subscriber 1', 'Subscriber 10']);

    const csv = sync.exportCsv({ sort: 'name', dir: 'asc', status: ['past_due'] });
    expect(csv.rows).toBe(4);
    const lines = csv.csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^name,email,status,product/);
    expect(lines).toHaveLength(5);

    const detail = sync.customer(one.rows[0]!.customerId);
    expect(detail).toMatchObject({ name: 'Subscriber 10', email: 'sub10@example.test', lifetimePaid: 500 });
    expect(detail.subscriptions).toHaveLength(1);
    expect(detail.invoices).toHaveLength(2);
    expect(detail.charges).toHaveLength(1);
    expect(() => sync.customer('cus_nope')).toThrow(/no customer/);
  });

  it('sees a write by another connection to the same file (a CLI sync) at once, through its caches', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 3 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    const q = { sort: 'name' as const, dir: 'asc' as const, offset: 0, limit: 10 };
    expect(sync.subscribers(q).statusCounts).toEqual({ active: 3 });
    const mrrBefore = sync.metrics().mrr;
    const other = openDatabase(sync.store.db.name);
    const store = new StripeStore(other);
    const sub = store.all<{ id: string; object: string; status: string }>('subscription')[0]!;
    store.put('subscription', { ...sub, status: 'unpaid' });
    other.close();
    expect(sync.subscribers(q).statusCounts).toEqual({ active: 2, unpaid: 1 });
    expect(sync.metrics().mrr).toBeLessThan(mrrBefore);
  });

  it('maps products to library tiers: what each subscriber unlocks', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 10 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    const products = sync.products();
    // Prices cycle Basic monthly, Devotee yearly, Devotee monthly; statuses cycle active×6, past_due, trialing, canceled, active.
    expect(products.map((p) => [p.name, p.tier, p.subscribers])).toEqual([
      ['Church Basic', 'subscriber', 4], // 0, 3, 6 (past due), 9
      ['Church Devotee', 'subscriber', 5], // 1, 2, 4, 5, 7 (trialing); 8 is canceled
    ]);
    const devotee = products.find((p) => p.name === 'Church Devotee')!;
    await sync.setSettings({ productTiers: { [devotee.id]: 'premium' } });
    const base = { sort: 'name' as const, dir: 'asc' as const, offset: 0, limit: 100 };
    const rows = sync.subscribers(base).rows;
    const tierOf = (name: string) => rows.find((r) => r.name === name)!.accessTier;
    expect(tierOf('Subscriber 0')).toBe('subscriber'); // Basic, active
    expect(tierOf('Subscriber 1')).toBe('premium'); // Devotee yearly, active
    expect(tierOf('Subscriber 7')).toBe('premium'); // Devotee, trialing
    expect(tierOf('Subscriber 8')).toBe('free'); // canceled
    expect(tierOf('Subscriber 6')).toBe('subscriber'); // Basic, past due: still unlocked
    expect(sync.customer(rows.find((r) => r.name === 'Subscriber 1')!.customerId).accessTier).toBe('premium');
    expect(sync.exportCsv({ sort: 'name', dir: 'asc' }).csv.split('\r\n')[0]).toContain('accessTier');
    await expect(sync.setSettings({ productTiers: { nope: 'premium' } as Record<string, 'premium'> })).rejects.toThrow(/productTiers/);
  });
});
