import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../electron/platform/db';
import { EnvironmentSecretStore } from '../electron/platform/secrets';
import { SettingsStore } from '../electron/platform/settings';
import { StripeSync } from '../electron/domains/stripe';
import { FakeStripe } from '../tests/helpers/fakeStripe';
import { seedShop } from '../tests/helpers/stripeShop';
import { writeBenchResult } from './write-result';

/**
 * Sync of N customers with one subscription, one invoice and one charge each from the fake Stripe server on
 * 127.0.0.1 (same process, so the server's own JSON work counts against the figure), then an incremental sync
 * after 10 changes, then review queries over the local copy.
 */
async function syncShop(customers: number, rate: number) {
  const fake = new FakeStripe();
  await fake.start();
  seedShop(fake, { customers, invoicesPerSub: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'church-bench-stripe-'));
  const db = openDatabase(join(dir, 'studio.sqlite'));
  const env = { STRIPE_API_BASE: fake.base, STRIPE_API_KEY: fake.addKey() };
  const sync = new StripeSync({
    db,
    env,
    secrets: new EnvironmentSecretStore(env, { 'stripe-key': 'STRIPE_API_KEY' }),
    settings: new SettingsStore(db),
    emitProgress: () => undefined,
    emitSynced: () => undefined,
    logError: () => undefined,
  });
  await sync.setSettings({ maxRequestsPerSecond: rate });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const t0 = performance.now();
  const report = await sync.sync();
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const objects = Object.values(report.objects).reduce((a, b) => a + (b ?? 0), 0);
  if (!report.ok) throw new Error(`bench sync failed: ${report.message}`);

  // Incremental: 10 changes, count the requests it makes.
  const cs = [...fake.objects.get('customer')!.values()];
  for (let i = 0; i < 10; i++) fake.update('customer', cs[i]!.id, { name: `Changed ${i}` });
  const inc = await sync.sync();

  // Review queries over the local copy.
  const q = { sort: 'created' as const, dir: 'desc' as const, offset: 0, limit: 100 };
  const tCold = performance.now();
  sync.subscribers(q);
  const coldMs = performance.now() - tCold;
  const lat: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    sync.subscribers({ ...q, search: `sub${i * 7}@`, status: i % 2 ? ['active', 'past_due'] : undefined, sort: i % 3 ? 'mrr' : 'name' });
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  const tm = performance.now();
  sync.metrics();
  const metricsMs = performance.now() - tm;

  await sync.close();
  db.close();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    customers,
    objects,
    secs: Math.round(secs * 100) / 100,
    objectsPerSec: Math.round(objects / secs),
    requests: report.requests,
    peakHeapGrowthMB: Math.round(((peakHeap - heapBefore) / 1e6) * 10) / 10,
    incrementalRequests: inc.requests,
    incrementalEvents: inc.events,
    queryColdMs: Math.round(coldMs),
    queryP50Ms: Math.round((lat[15] ?? 0) * 100) / 100,
    queryP95Ms: Math.round((lat[28] ?? 0) * 100) / 100,
    metricsMs: Math.round(metricsMs),
  };
}

export async function run(): Promise<void> {
  const rate = 100;
  const small = await syncShop(2_500, rate);
  console.log('2.5k', small);
  const big = await syncShop(10_000, rate);
  console.log('10k', big);
  writeBenchResult('stripe', {
    targets: [
      { name: 'backfill throughput (10k customers + 10k subscriptions + 10k invoices + 10k charges)', value: big.objectsPerSec, unit: 'objects/s', target: '>= 2000', met: big.objectsPerSec >= 2000 },
      {
        name: 'peak heap growth during the sync, 10k vs 2.5k customers',
        value: big.peakHeapGrowthMB,
        unit: 'MB',
        target: `flat: < 2x the 2.5k run (${small.peakHeapGrowthMB} MB) + 20 MB`,
        met: big.peakHeapGrowthMB < small.peakHeapGrowthMB * 2 + 20,
      },
      { name: 'requests of an incremental sync after 10 changes', value: big.incrementalRequests, unit: 'requests', target: '<= 3', met: big.incrementalRequests <= 3 },
      { name: 'subscriber query p95 (10k rows, search + filter + sort)', value: big.queryP95Ms, unit: 'ms', target: '< 50', met: big.queryP95Ms < 50 },
    ],
    details: { rateCapRequestsPerSecond: rate, small, big, note: 'the fake server runs in the same process (its JSON encoding counts against the sync); heap growth is measured from after the shop was seeded' },
  });
}
