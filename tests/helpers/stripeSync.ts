import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase } from '../../electron/platform/db';
import { EnvironmentSecretStore } from '../../electron/platform/secrets';
import { SettingsStore } from '../../electron/platform/settings';
import { StripeSync, type StripeSyncDeps } from '../../electron/domains/stripe';
import type { SyncProgress, SyncReport } from '../../shared/dto/stripe';
import { tempDir } from './tempDir';
import { FakeStripe } from './fakeStripe';

export interface Harness {
  sync: StripeSync;
  progress: SyncProgress[];
  reports: SyncReport[];
  errors: string[];
}

/** A StripeSync on a fresh SQLite file, pointed at the fake server, with short retry backoff. */
export function useStripeSync(fake: FakeStripe, key: string | null, extra: Partial<StripeSyncDeps> = {}): Harness {
  const db = openDatabase(join(tempDir('church-stripe-'), 'studio.sqlite'));
  const env: NodeJS.ProcessEnv = { STRIPE_API_BASE: fake.base, ...(key ? { STRIPE_API_KEY: key } : {}) };
  const progress: SyncProgress[] = [];
  const reports: SyncReport[] = [];
  const errors: string[] = [];
  const sync = new StripeSync({
    db,
    env,
    secrets: new EnvironmentSecretStore(env, { 'stripe-key': 'STRIPE_API_KEY', 'stripe-webhook-secret': 'STRIPE_WEBHOOK_SECRET' }),
    settings: new SettingsStore(db),
    emitProgress: (p) => progress.push(p),
    emitSynced: (r) => reports.push(r),
    logError: (msg, e) => errors.push(`${msg}: ${String(e)}`),
    retryBaseMs: 5,
    ...extra,
  });
  // Fast runs: the fake has no rate limit of its own.
  sync.setSettings({ maxRequestsPerSecond: 100 }).catch(() => undefined);
  afterAll(async () => {
    await sync.close();
    db.close();
  });
  return { sync, progress, reports, errors };
}

export async function useFakeStripe(): Promise<FakeStripe> {
  const fake = new FakeStripe();
  await fake.start();
  afterAll(() => fake.stop());
  return fake;
}
