import type { z } from 'zod';
import { stripeSettingsSchema } from '../../../shared/contract/stripe';
import type { CustomerDetail, StripeKeyRotation, StripeMetrics, StripeProductTier, StripeSettingsDto, StripeStatus, SubscriberPage, SyncProgress, SyncReport } from '../../../shared/dto/stripe';
import { ChurchError } from '../../../shared/errors';
import type { Db } from '../../platform/db';
import { secretAgeDays, type SecretStore } from '../../platform/secrets';
import { STRIPE_KEY_ROTATE_DAYS } from '../../../shared/dto/secrets';
import type { SettingsStore } from '../../platform/settings';
import { StripeApi } from './api';
import { applyEvent, type StripeEventJson } from './applyEvent';
import { STRIPE_PERMISSIONS, checkRestrictedKey, keyMode, maskKey, scrubKeys } from './keys';
import { computeMetrics } from './metrics';
import { SubscriberReview, subscribersCsv, type SubscriberQuery } from './review';
import type { ChargeJson, InvoiceJson, ProductJson, SubscriptionJson } from './shapes';
import { StripeStore } from './store';
import { verifyRotation } from './rotateKey';
import { runSync } from './sync';
import { WebhookEndpoint } from './webhook';

export const STRIPE_KEY_SECRET = 'stripe-key';
export const STRIPE_WEBHOOK_SECRET = 'stripe-webhook-secret';
const SETTINGS_KEY = 'stripe.settings';

export const DEFAULT_STRIPE_SETTINGS: StripeSettingsDto = { maxRequestsPerSecond: 20, webhookEnabled: false, webhookPort: 4242, productTiers: {} };

export interface StripeSyncDeps {
  db: Db;
  secrets: SecretStore;
  settings: SettingsStore;
  env: NodeJS.ProcessEnv;
  emitProgress: (p: SyncProgress) => void;
  emitSynced: (r: SyncReport) => void;
  logError: (msg: string, e: unknown) => void;
  /** Milliseconds since the epoch; tests move time. */
  now?: () => number;
  /** First retry backoff; tests shorten it. */
  retryBaseMs?: number;
  maxRetries?: number;
  /** Longest wait between retries whatever Retry-After says (60 s unless set); tests shorten it. */
  maxRetryWaitMs?: number;
  /** Events an incremental run may hold before it falls back to a backfill (50,000 unless set); tests lower it. */
  maxIncrementalEvents?: number;
}

/**
 * The Stripe domain: keeps the restricted key (never handing it out), syncs a local copy through the SDK,
 * and answers the offline review (subscribers, a customer, metrics) from that copy only.
 */
export class StripeSync {
  readonly store: StripeStore;
  private readonly review: SubscriberReview;
  private readonly now: () => number;
  private running: { promise: Promise<SyncReport>; abort: AbortController; progress: SyncProgress | null } | null = null;
  private webhook: WebhookEndpoint | null = null;
  /** The endpoint being started, so a second start (settings + host start) joins it and close() can wait for it. */
  private webhookStarting: Promise<string> | null = null;
  /** Set by close(): an endpoint whose listen completes afterwards is stopped at once instead of kept. */
  private closed = false;
  /** Metrics parse every subscription, invoice and charge: reuse them until the data changes or a minute passes. */
  private metricsCache: { key: string; value: StripeMetrics } | null = null;

  constructor(private readonly deps: StripeSyncDeps) {
    this.store = new StripeStore(deps.db);
    this.now = deps.now ?? Date.now;
    this.review = new SubscriberReview(this.store, this.now);
  }

  // ---- key and settings -------------------------------------------------------------------------------------

  private key(): string | null {
    return this.deps.secrets.get(STRIPE_KEY_SECRET);
  }

  settings(): StripeSettingsDto {
    return this.deps.settings.get(SETTINGS_KEY, stripeSettingsSchema, DEFAULT_STRIPE_SETTINGS);
  }

  setKey(raw: string): StripeStatus {
    const { key } = checkRestrictedKey(raw);
    this.deps.secrets.set(STRIPE_KEY_SECRET, key);
    return this.status();
  }

  /**
   * Replaces the key with a new restricted one once one read proved it works on the same account (rotateKey.ts);
   * on any refusal the old key stays. The local copy is left as it is: the next sync continues from it.
   */
  async rotateKey(raw: string): Promise<StripeKeyRotation> {
    const known = this.store
      .all<{ id: string; created?: number }>('customer')
      .sort((a, b) => (b.created ?? 0) - (a.created ?? 0))[0];
    const { key, rotation } = await verifyRotation({ current: this.key(), raw, apiBase: this.deps.env.STRIPE_API_BASE || undefined, knownCustomerId: known?.id ?? null });
    this.deps.secrets.set(STRIPE_KEY_SECRET, key);
    const note =
      this.deps.secrets.kind === 'environment'
        ? 'the studio reads its key from STRIPE_API_KEY: the new key is used until it stops; put it in the environment (e.g. ~/.config/church/serve.env) before the next start, or the old key comes back'
        : null;
    return { ...rotation, note, status: this.status() };
  }

  clearKey(): StripeStatus {
    this.deps.secrets.delete(STRIPE_KEY_SECRET);
    return this.status();
  }

  setWebhookSecret(secret: string | null): StripeStatus {
    if (secret === null || secret === '') this.deps.secrets.delete(STRIPE_WEBHOOK_SECRET);
    else if (!/^whsec_[A-Za-z0-9]+$/.test(secret)) {
      throw new ChurchError('INVALID_INPUT', 'a webhook signing secret starts with whsec_; `stripe listen` prints it, and the Dashboard shows it under Developers → Webhooks');
    } else this.deps.secrets.set(STRIPE_WEBHOOK_SECRET, secret);
    return this.status();
  }

  async setSettings(patch: Partial<z.output<typeof stripeSettingsSchema>>): Promise<StripeStatus> {
    const before = this.settings();
    const next = this.deps.settings.set(SETTINGS_KEY, stripeSettingsSchema, { ...before, ...patch });
    if (this.webhook && (!next.webhookEnabled || next.webhookPort !== before.webhookPort)) await this.stopWebhook();
    if (next.webhookEnabled && !this.webhook) await this.startWebhook();
    return this.status();
  }

  status(): StripeStatus {
    const key = this.key();
    return {
      key: this.keyInfo(key),
      webhookSecretSet: this.deps.secrets.get(STRIPE_WEBHOOK_SECRET) !== null,
      settings: this.settings(),
      webhookUrl: this.webhook?.url() ?? null,
      lastSync: this.store.state<SyncReport>('lastReport'),
      lastGoodSyncAt: this.store.state<string>('lastGoodSyncAt'),
      running: this.running?.progress ?? null,
      counts: this.store.counts(),
      permissions: STRIPE_PERMISSIONS,
    };
  }

  private keyInfo(key: string | null): StripeStatus['key'] {
    const setAt = key ? (this.deps.secrets.setAt?.(STRIPE_KEY_SECRET) ?? null) : null;
    const ageDays = secretAgeDays(setAt, this.now());
    return {
      present: key !== null,
      masked: key ? maskKey(key) : null,
      mode: key ? keyMode(key) : null,
      store: this.deps.secrets.kind,
      setAt,
      ageDays,
      rotateDue: ageDays !== null && ageDays >= STRIPE_KEY_ROTATE_DAYS,
    };
  }

  // ---- sync -------------------------------------------------------------------------------------------------

  /** Runs a sync, or joins the one running. Never throws for Stripe's answers: they are in the report. */
  sync(opts: { full?: boolean } = {}): Promise<SyncReport> {
    if (this.running) return this.running.promise;
    const key = this.key();
    if (!key) {
      throw new ChurchError(
        'UNAVAILABLE',
        'no Stripe key: paste a restricted key in Settings → Stripe (desktop), or set STRIPE_API_KEY=rk_live_… for the CLI and church serve',
      );
    }
    checkRestrictedKey(key); // an sk_ key from the environment is refused the same way as a pasted one
    const abort = new AbortController();
    const settings = this.settings();
    const api = new StripeApi(key, {
      apiBase: this.deps.env.STRIPE_API_BASE || undefined,
      maxRequestsPerSecond: settings.maxRequestsPerSecond,
      retryBaseMs: this.deps.retryBaseMs ?? 500,
      maxRetries: this.deps.maxRetries ?? 6,
      ...(this.deps.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: this.deps.maxRetryWaitMs } : {}),
      signal: abort.signal,
    });
    const run = { abort, progress: null as SyncProgress | null, promise: Promise.resolve(null as unknown as SyncReport) };
    run.promise = (async () => {
      try {
        const report = await runSync(
          {
            store: this.store,
            api,
            signal: abort.signal,
            now: this.now,
            ...(this.deps.maxIncrementalEvents !== undefined ? { maxIncrementalEvents: this.deps.maxIncrementalEvents } : {}),
            onProgress: (p) => {
              run.progress = p;
              this.deps.emitProgress(p);
            },
          },
          { full: opts.full === true },
        );
        this.store.setStateValue('lastReport', report);
        if (report.ok) this.store.setStateValue('lastGoodSyncAt', report.finishedAt);
        this.deps.emitSynced(report);
        return report;
      } catch (e) {
        // A bug, not Stripe's answer: keep the message free of keys and the main process alive.
        this.deps.logError('stripe sync failed', new Error(scrubKeys(e instanceof Error ? e.message : String(e))));
        throw new ChurchError('INTERNAL', 'the Stripe sync failed unexpectedly; the last good data is kept and the details are in the app log');
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run.promise;
  }

  cancel(): { cancelled: boolean } {
    if (!this.running) return { cancelled: false };
    this.running.abort.abort(new Error('cancelled'));
    return { cancelled: true };
  }

  // ---- webhook ----------------------------------------------------------------------------------------------

  applyEvent(event: StripeEventJson): void {
    this.store.transaction(() => {
      applyEvent(this.store, event);
    });
  }

  async startWebhook(port = this.settings().webhookPort): Promise<string> {
    if (this.closed) throw new ChurchError('UNAVAILABLE', 'the Stripe service is shutting down; the webhook endpoint was not started');
    if (this.webhook) return this.webhook.url() ?? '';
    if (this.webhookStarting) return this.webhookStarting;
    const endpoint = new WebhookEndpoint({
      port,
      secret: () => this.deps.secrets.get(STRIPE_WEBHOOK_SECRET),
      apply: (ev) => this.applyEvent(ev),
      logError: this.deps.logError,
    });
    const starting = (async () => {
      let url: string;
      try {
        url = await endpoint.start();
      } catch (e) {
        throw new ChurchError('CONFLICT', `the webhook endpoint could not listen on 127.0.0.1:${port} (${(e as Error).message}); pick another port in Settings → Stripe`);
      }
      if (this.closed) {
        // close() ran while listen was pending: keeping this server would hold the process open after shutdown.
        await endpoint.stop();
        throw new ChurchError('UNAVAILABLE', 'the Stripe service closed while the webhook endpoint was starting; it was stopped');
      }
      this.webhook = endpoint;
      return url;
    })();
    this.webhookStarting = starting;
    try {
      return await starting;
    } finally {
      this.webhookStarting = null;
    }
  }

  async stopWebhook(): Promise<void> {
    // A start in flight finishes first, so the endpoint it opens is the one stopped here.
    await this.webhookStarting?.catch(() => undefined);
    const w = this.webhook;
    this.webhook = null;
    await w?.stop();
  }

  // ---- offline review ---------------------------------------------------------------------------------------

  private syncedAt(): string | null {
    return this.store.state<string>('lastGoodSyncAt');
  }

  subscribers(q: SubscriberQuery): SubscriberPage {
    return this.review.query(q, this.syncedAt(), this.settings().productTiers);
  }

  customer(id: string): CustomerDetail {
    const c = this.review.customer(id, this.syncedAt(), this.settings().productTiers);
    if (!c) throw new ChurchError('NOT_FOUND', `no customer ${id} in the local copy; sync, or check the id`);
    return c;
  }

  /** Synced products, the library tier each unlocks (Settings → Stripe), and how many subscriptions unlock it now. */
  products(): StripeProductTier[] {
    const tiers = this.settings().productTiers;
    const holders = new Map<string, number>();
    for (const r of this.review.rows(tiers)) {
      if (r.accessTier !== 'free' && r.productId) holders.set(r.productId, (holders.get(r.productId) ?? 0) + 1);
    }
    return this.store
      .all<ProductJson & { active?: boolean }>('product')
      .map((p) => ({ id: p.id, name: p.name ?? p.id, active: p.active !== false, tier: tiers[p.id] ?? 'subscriber', subscribers: holders.get(p.id) ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  metrics(): StripeMetrics {
    const nowSec = Math.floor(this.now() / 1000);
    const key = `${this.store.generation}:${Math.floor(nowSec / 60)}:${this.syncedAt()}`;
    if (this.metricsCache?.key === key) return this.metricsCache.value;
    const value = computeMetrics({
      subscriptions: this.store.all<SubscriptionJson>('subscription'),
      invoices: this.store.all<InvoiceJson>('invoice'),
      charges: this.store.all<ChargeJson>('charge'),
      now: nowSec,
      syncedAt: this.syncedAt(),
    });
    this.metricsCache = { key, value };
    return value;
  }

  exportCsv(q: Omit<SubscriberQuery, 'offset' | 'limit'>): { filename: string; csv: string; rows: number } {
    const page = this.review.query(q, this.syncedAt(), this.settings().productTiers);
    const day = new Date(this.now()).toISOString().slice(0, 10);
    return { filename: `subscribers-${day}.csv`, csv: subscribersCsv(page.rows), rows: page.rows.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancel();
    await this.running?.promise.catch(() => undefined);
    await this.stopWebhook();
  }
}
