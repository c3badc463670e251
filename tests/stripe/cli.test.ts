import { describe, expect, it } from 'vitest';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { seedShop } from '../helpers/stripeShop';
import { useFakeStripe } from '../helpers/stripeSync';

describe('church stripe / subscribers / metrics as child processes', () => {
  it('syncs with STRIPE_API_KEY, then answers offline (the fake server stopped)', async () => {
    const fake = await useFakeStripe();
    seedShop(fake, { customers: 30 });
    const key = fake.addKey();
    const dataDir = tempDir('church-cli-stripe-');
    const env = { CHURCH_NO_ATTACH: '1', STRIPE_API_BASE: fake.base, STRIPE_API_KEY: key };

    const synced = await church(['stripe', 'sync', '--json', '--data-dir', dataDir], { env });
    expect(synced.code, synced.stderr).toBe(0);
    const report = JSON.parse(synced.stdout) as { ok: boolean; outcome: string; objects: Record<string, number> };
    expect(report).toMatchObject({ ok: true, outcome: 'synced', objects: { customer: 30, subscription: 30 } });
    expect(synced.stdout + synced.stderr).not.toContain(key);

    const human = await church(['stripe', 'sync', '--data-dir', dataDir], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/✓ incremental sync synced/);
    expect(human.stdout + human.stderr).not.toContain(key);

    await fake.stop();
    const offlineEnv = { CHURCH_NO_ATTACH: '1', STRIPE_API_KEY: '' };
    const late = await church(['subscribers', '--status', 'past_due', '--json', '--data-dir', dataDir], { env: offlineEnv });
    expect(late.code, late.stderr).toBe(0);
    const page = JSON.parse(late.stdout) as { total: number; rows: { status: string; lastInvoiceStatus: string | null }[] };
    expect(page.total).toBe(3);
    expect(page.rows.every((r) => r.status === 'past_due')).toBe(true);

    const table = await church(['subscribers', '--search', 'sub10@', '--data-dir', dataDir], { env: offlineEnv });
    expect(table.stdout).toMatch(/Subscriber 10\s+sub10@example\.test\s+active\s+Church Devotee\s+\$120\.00\/year/);

    const csv = await church(['subscribers', '--csv', '--sort', 'name', '--asc', '--data-dir', dataDir], { env: offlineEnv });
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^Subscriber 0,sub0@example\.test,active,/);

    const metrics = await church(['metrics', '--json', '--data-dir', dataDir], { env: offlineEnv });
    expect(metrics.code).toBe(0);
    const m = JSON.parse(metrics.stdout) as { mrr: number; currency: string; pastDue: number; trialing: number };
    // 30 customers: statuses cycle (active×7, past_due, trialing, canceled), prices cycle (500/mo, 12000/yr, 1500/mo).
    expect(m).toMatchObject({ currency: 'usd', pastDue: 3, trialing: 3 });
    expect(m.mrr).toBeGreaterThan(0);

    const badKey = await church(['stripe', 'sync', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1', STRIPE_API_KEY: 'sk_live_0123456789abcdefghij' } });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/full secret key.*restricted key/);
    expect(badKey.stderr).not.toContain('0123456789abcdefghij');

    const noKey = await church(['stripe', 'sync', '--json', '--data-dir', dataDir], { env: offlineEnv });
    expect(noKey.code).toBe(1);
    expect(JSON.parse(noKey.stderr)).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });
});
