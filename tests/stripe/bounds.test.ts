import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { retryWaitMs } from '../../electron/domains/stripe/api';
import { addCustomer, seedShop } from '../helpers/stripeShop';
import { useStripeSync, useFakeStripe } from '../helpers/stripeSync';
import { nextTurns, waitFor } from '../helpers/waitFor';
import { freePort } from '../helpers/freePort';

/** A port nothing listens on right now (bound on 0, then released). */
/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('Retry-After is bounded', () => {
  it('caps the wait whatever Retry-After says (pure)', () => {
    expect(retryWaitMs(100, 86_400, 60_000)).toBe(60_000);
    expect(retryWaitMs(100, 2, 60_000)).toBe(2000);
    expect(retryWaitMs(100, Number.NaN, 60_000)).toBe(100);
    expect(retryWaitMs(90_000, 0, 60_000)).toBe(60_000);
  });

  it('a 429 with Retry-After: 86400 waits only the cap, then the sync completes', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 3 });
    const { sync } = useStripeSync(fake, fake.addKey(), { maxRetryWaitMs: 300 });
    fake.faults.rateLimitNext = 1;
    fake.faults.retryAfter = '86400';
    const t0 = performance.now();
    const report = await sync.sync();
    const ms = performance.now() - t0;
    expect(report).toMatchObject({ ok: true, outcome: 'synced', retries: 1 });
    expect(fake.log.filter((r) => r.status === 429)).toHaveLength(1);
    expect(ms).toBeGreaterThanOrEqual(250); // Retry-After was honoured up to the cap…
    expect(ms).toBeLessThan(10_000); // …and not for a day
    expect(sync.status().counts.customer).toBe(3);
  });

  it('cancel interrupts a Retry-After wait at once (default 60 s cap)', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 3 });
    const { sync } = useStripeSync(fake, fake.addKey());
    fake.faults.rateLimitNext = 1;
    fake.faults.retryAfter = '86400';
    const running = sync.sync();
    // Wait until the 429 was answered, so the sync is inside the wait.
    await waitFor('the 429 to be answered', () => fake.log.some((r) => r.status === 429), 30_000, 5);
    // The fake runs in this process: its answer reaches the client, which then starts the wait, within a few turns.
    await nextTurns(20);
    const t0 = performance.now();
    expect(sync.cancel()).toEqual({ cancelled: true });
    const report = await running;
    expect(report.outcome).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('the incremental sync holds a bounded number of events', () => {
  it('past the limit it falls back to a backfill and says why; under it, it stays incremental', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 5 });
    const { sync } = useStripeSync(fake, fake.addKey(), { maxIncrementalEvents: 150 });
    await sync.sync();

    // 120 events: under the limit, applied incrementally.
    for (let i = 0; i < 120; i++) addCustomer(fake, `Small ${i}`, `small${i}@example.test`);
    const small = await sync.sync();
    expect(small).toMatchObject({ ok: true, kind: 'incremental', events: 120, fellBackToBackfill: null });

    // 251 events: the second page crosses 150, so the run stops reading events and backfills instead.
    for (let i = 0; i < 250; i++) addCustomer(fake, `Busy ${i}`, `busy${i}@example.test`);
    // The newest event a later second, so the backfill's cursor is past the busy second (`created[gte]` would
    // otherwise list those events again on the next run).
    const later = Math.floor(Date.now() / 1000) + 5;
    fake.clock = () => later;
    addCustomer(fake, 'Marker', 'marker@example.test');
    fake.log.length = 0;
    const busy = await sync.sync();
    expect(busy).toMatchObject({ ok: true, outcome: 'synced', kind: 'backfill', events: 0 });
    expect(busy.fellBackToBackfill).toMatch(/more than 150 events since the last sync/);
    // Two event pages (200 events ≥ 150, more to come) were read, not all three.
    const eventPages = fake.requestsTo('/v1/events').filter((r) => r.query['created[gte]'] !== undefined);
    expect(eventPages).toHaveLength(2);
    expect(sync.status().counts.customer).toBe(5 + 120 + 250 + 1);

    // The backfill took a fresh cursor: the next run is incremental again.
    addCustomer(fake, 'After', 'after@example.test');
    const after = await sync.sync();
    expect(after).toMatchObject({ ok: true, kind: 'incremental', events: 1 });
  });
});

describe('the webhook endpoint and close()', () => {
  it('start then close at once: nothing listens afterwards', async () => {
    const fake = await useFakeStripe();
    const { sync, errors } = useStripeSync(fake, fake.addKey());
    const port = await freePort();
    // As the host's start() does: fire the start without awaiting it, then close before listen completes.
    const started = sync.startWebhook(port).then(
      () => 'started',
      () => 'refused',
    );
    await sync.close();
    expect(await started).toBe('refused');
    await nextTurns(); // a listen that was already called would have bound by now
    expect(await listening(port)).toBe(false);
    expect(sync.status().webhookUrl).toBeNull();
    await expect(sync.startWebhook(port)).rejects.toThrow(/shutting down/);
    expect(await listening(port)).toBe(false);
    expect(errors).toEqual([]);
  });
});
