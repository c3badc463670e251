import { describe, expect, it } from 'vitest';
import { addCustomer, addInvoice, addSubscription, seedShop } from '../helpers/stripeShop';
import { useStripeSync, useFakeStripe } from '../helpers/stripeSync';
import { waitFor } from '../helpers/waitFor';

const DAY = 86_400;

describe('Stripe backfill', () => {
  it('pages through every type at 100 per page with starting_after and stores every object', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 250, invoicesPerSub: 1 });
    const { sync, progress } = useStripeSync(fake, fake.addKey());
    const report = await sync.sync();
    expect(report).toMatchObject({ ok: true, outcome: 'synced', kind: 'backfill', missingPermissions: [] });
    const customerCalls = fake.requestsTo('/v1/customers');
    expect(customerCalls.map((r) => r.query.limit)).toEqual(['100', '100', '100']);
    expect(customerCalls[0]!.query.starting_after).toBeUndefined();
    expect(customerCalls[1]!.query.starting_after).toMatch(/^cus_/);
    // Canceled subscriptions are only listed with status=all; discounts come expanded.
    expect(fake.requestsTo('/v1/subscriptions')[0]!.query).toMatchObject({ status: 'all', 'expand[0]': 'data.discounts' });
    expect(sync.status().counts).toEqual({ customer: 250, product: 2, price: 3, subscription: 250, invoice: 250, charge: 250, refund: 0, dispute: 0 });
    expect(report.objects.customer).toBe(250);
    const last = progress.at(-1)!;
    expect(last.types.find((t) => t.type === 'customer')).toMatchObject({ fetched: 250, state: 'done' });
    expect(last.requests).toBeGreaterThanOrEqual(report.requests - 1);
    expect(sync.status().lastGoodSyncAt).toBe(report.finishedAt);
  });

  it('a full re-sync marks objects Stripe no longer lists as deleted, instead of dropping them', async () => {
    const fake = await useFakeStripe();
    const a = addCustomer(fake, 'Ann', 'ann@example.test');
    addCustomer(fake, 'Bob', 'bob@example.test');
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    fake.remove('customer', a.id);
    const second = await sync.sync({ full: true });
    expect(second.outcome).toBe('synced');
    expect(sync.status().counts.customer).toBe(1);
    expect(sync.store.get('customer', a.id)).toMatchObject({ name: 'Ann', deleted: true });
  });
});

describe('Stripe incremental sync through events', () => {
  it('applies 10 changes with one events request, oldest first, and marks deletions', async () => {
    const fake = await useFakeStripe();
    const { prices } = seedShop(fake, { customers: 30 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    const before = fake.log.length;
    const customers = [...fake.objects.get('customer')!.values()];
    const subs = [...fake.objects.get('subscription')!.values()];
    fake.update('customer', customers[0]!.id, { name: 'Renamed Once' });
    fake.update('customer', customers[0]!.id, { name: 'Renamed Twice' });
    fake.update('customer', customers[1]!.id, { email: 'new@example.test' });
    fake.update('subscription', subs[2]!.id, { status: 'past_due' });
    fake.update('subscription', subs[3]!.id, { cancel_at_period_end: true });
    fake.remove('customer', customers[4]!.id);
    const added = addCustomer(fake, 'Newcomer', 'newcomer@example.test');
    const sub = addSubscription(fake, { customer: added, items: [{ price: prices[0]! }] });
    const inv = addInvoice(fake, sub, { amount: 500, status: 'open' });
    fake.update('invoice', inv.id, { status: 'paid', amount_paid: 500 }, 'invoice.paid');
    expect(fake.events.length).toBe(10);

    const report = await sync.sync();
    expect(report).toMatchObject({ ok: true, kind: 'incremental', events: 10, fellBackToBackfill: null });
    expect(fake.log.length - before).toBeLessThanOrEqual(3);
    expect(report.requests).toBe(1);
    expect(sync.store.get('customer', customers[0]!.id)).toMatchObject({ name: 'Renamed Twice' });
    expect(sync.store.get('customer', customers[4]!.id)).toMatchObject({ deleted: true });
    expect(sync.store.get('subscription', subs[2]!.id)).toMatchObject({ status: 'past_due' });
    expect(sync.store.get('invoice', inv.id)).toMatchObject({ status: 'paid' });
    expect(sync.subscribers({ search: 'newcomer', sort: 'created', dir: 'desc', offset: 0, limit: 10 }).rows).toHaveLength(1);

    // Nothing new: one request, nothing applied twice.
    const again = await sync.sync();
    expect(again).toMatchObject({ kind: 'incremental', events: 0, requests: 1 });
  });

  it('falls back to a backfill when the cursor is older than the 30 days Stripe keeps events', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 5 });
    let now = Date.now();
    const { sync } = useStripeSync(fake, fake.addKey(), { now: () => now });
    await sync.sync();
    now += 31 * DAY * 1000;
    const report = await sync.sync();
    expect(report.kind).toBe('backfill');
    expect(report.fellBackToBackfill).toMatch(/30 days/);
    expect(report.ok).toBe(true);
  });

  it('falls back to a backfill when Stripe refuses the event window', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 5 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    fake.faults.refuseEventWindow = true;
    const report = await sync.sync();
    expect(report).toMatchObject({ ok: true, kind: 'backfill' });
    expect(report.fellBackToBackfill).toMatch(/Stripe refused the event cursor.*30 days/);
    expect(sync.status().counts.customer).toBe(5);
  });

  it('a key without Events: Read does full syncs and says which permission would make them incremental', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 4 });
    const key = fake.addKey({ permissions: ['rak_customer_read', 'rak_product_read', 'rak_plan_read', 'rak_subscription_read', 'rak_invoice_read', 'rak_charge_read', 'rak_refund_read', 'rak_dispute_read'] });
    const { sync } = useStripeSync(fake, key);
    const first = await sync.sync();
    expect(first).toMatchObject({ ok: true, outcome: 'partial', kind: 'backfill' });
    expect(first.missingPermissions).toEqual([{ type: 'event', permission: 'rak_event_read', label: 'Events: Read' }]);
    const second = await sync.sync();
    expect(second.kind).toBe('backfill');
    expect(second.fellBackToBackfill).toMatch(/Events: Read/);
  });

  it('a key that loses Events: Read after a sync falls back to a backfill and names the permission once', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 4 });
    const key = fake.addKey();
    const { sync } = useStripeSync(fake, key);
    await sync.sync();
    fake.keys.get(key)!.permissions = ['rak_customer_read', 'rak_product_read', 'rak_plan_read', 'rak_subscription_read', 'rak_invoice_read', 'rak_charge_read', 'rak_refund_read', 'rak_dispute_read'];
    const report = await sync.sync();
    expect(report).toMatchObject({ ok: true, outcome: 'partial', kind: 'backfill' });
    expect(report.missingPermissions).toEqual([{ type: 'event', permission: 'rak_event_read', label: 'Events: Read' }]);
    expect(report.message).toContain('Events: Read (rak_event_read)');
  });
});

describe('Stripe failures', () => {
  it('rides out a 429 storm with Stripe-Should-Retry: true and backoff', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 20 });
    const { sync } = useStripeSync(fake, fake.addKey());
    fake.faults.rateLimitNext = 6;
    fake.faults.shouldRetry = 'true';
    const report = await sync.sync();
    expect(report).toMatchObject({ ok: true, outcome: 'synced', retries: 6 });
    expect(fake.log.filter((r) => r.status === 429)).toHaveLength(6);
    expect(sync.status().counts.customer).toBe(20);
  });

  it('does not retry when Stripe says Stripe-Should-Retry: false, and keeps the last good data', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 7 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.sync();
    fake.faults.rateLimitNext = 1;
    fake.faults.shouldRetry = 'false';
    const report = await sync.sync({ full: true });
    expect(report).toMatchObject({ ok: false, outcome: 'failed', retries: 0 });
    expect(report.message).toMatch(/too many requests|rate/);
    expect(sync.status().counts.customer).toBe(7);
  });

  it('a key missing permissions syncs the rest and names the permissions to add', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 12 });
    const all = ['rak_customer_read', 'rak_product_read', 'rak_plan_read', 'rak_subscription_read', 'rak_invoice_read', 'rak_charge_read', 'rak_refund_read', 'rak_dispute_read', 'rak_event_read'];
    const key = fake.addKey({ permissions: all.filter((p) => p !== 'rak_dispute_read' && p !== 'rak_invoice_read') });
    const { sync } = useStripeSync(fake, key);
    const report = await sync.sync();
    expect(report.outcome).toBe('partial');
    expect(report.ok).toBe(true);
    expect(report.missingPermissions.map((m) => m.permission).sort()).toEqual(['rak_dispute_read', 'rak_invoice_read']);
    expect(report.message).toContain('Invoices: Read (rak_invoice_read)');
    expect(report.message).toContain('Disputes: Read');
    expect(report.message).not.toContain(key);
    expect(sync.status().counts).toMatchObject({ customer: 12, subscription: 12, invoice: 0, charge: 12 });
  });

  it('a revoked key stops the sync with a clear message and keeps the data', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 9 });
    const key = fake.addKey();
    const { sync } = useStripeSync(fake, key);
    const good = await sync.sync();
    fake.keys.get(key)!.revoked = true;
    fake.update('customer', [...fake.objects.get('customer')!.values()][0]!.id, { name: 'Not seen' });
    const report = await sync.sync();
    expect(report).toMatchObject({ ok: false, outcome: 'key-rejected' });
    expect(report.message).toMatch(/revoked, rolled or mistyped.*restricted key.*kept/);
    expect(report.message).not.toContain(key);
    expect(sync.status().counts.customer).toBe(9);
    expect(sync.status().lastGoodSyncAt).toBe(good.finishedAt);
    expect(sync.status().lastSync?.outcome).toBe('key-rejected');
  });

  it('a connection dropped mid-backfill keeps the last good data, and the next sync resumes from its cursor', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 350 });
    const { sync } = useStripeSync(fake, fake.addKey(), { maxRetries: 1 });
    await sync.sync();
    fake.update('customer', [...fake.objects.get('customer')!.values()][0]!.id, { name: 'Changed During Outage' });
    fake.log.length = 0;
    // events(1) + customers page 1 + page 2 succeed, then the link dies.
    fake.faults.dropAfter = 3;
    const failed = await sync.sync({ full: true });
    expect(failed).toMatchObject({ ok: false, outcome: 'failed' });
    expect(failed.message).toMatch(/lost the connection.*kept.*resumes/);
    expect(sync.status().counts.customer).toBe(350);
    expect(sync.subscribers({ search: 'Changed During Outage', sort: 'created', dir: 'desc', offset: 0, limit: 5 }).total).toBe(0);

    fake.faults.dropAfter = null;
    fake.log.length = 0;
    const resumed = await sync.sync();
    expect(resumed).toMatchObject({ ok: true, kind: 'backfill' });
    const firstCustomers = fake.requestsTo('/v1/customers')[0]!;
    expect(firstCustomers.query.starting_after).toMatch(/^cus_/); // resumed, not restarted
    expect(fake.requestsTo('/v1/customers')).toHaveLength(2);
    expect(sync.status().counts.customer).toBe(350);
    expect(sync.subscribers({ search: 'Changed During Outage', sort: 'created', dir: 'desc', offset: 0, limit: 5 }).total).toBe(1);
  });

  it('cancel stops a running sync; the data stays and the next run resumes', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 400 });
    const { sync } = useStripeSync(fake, fake.addKey());
    fake.faults.delayMs = 40;
    const running = sync.sync();
    // Mid-run: the sync has reported progress (each request takes 40 ms; 400 customers and the other types need
    // many more), so it is under way and far from done.
    await waitFor('the sync to report progress', () => sync.status().running?.running === true, 30_000, 5);
    expect(sync.cancel()).toEqual({ cancelled: true });
    const report = await running;
    expect(report.outcome).toBe('cancelled');
    expect(sync.status().counts.customer).toBe(0); // nothing half-swapped in
    fake.faults.delayMs = 0;
    const next = await sync.sync();
    expect(next.ok).toBe(true);
    expect(sync.status().counts.customer).toBe(400);
  });

  it('caps the request rate', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 2 });
    const { sync } = useStripeSync(fake, fake.addKey());
    await sync.setSettings({ maxRequestsPerSecond: 10 });
    const t0 = performance.now();
    const report = await sync.sync();
    const secs = (performance.now() - t0) / 1000;
    // 9 requests (events + 8 lists) at 10/s: at least 0.8 s between the first and the last.
    expect(report.requests).toBe(9);
    expect(secs).toBeGreaterThanOrEqual(0.75);
    expect(report.requests / secs).toBeLessThanOrEqual(11.5);
  });
});
