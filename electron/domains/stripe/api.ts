import { createRequire } from 'node:module';
import type Stripe from 'stripe';

// The SDK costs a quarter second to load: only a sync or a webhook loads it, never `church list` or the window's start.
const require = createRequire(import.meta.url);
let sdk: typeof Stripe | undefined;
const StripeSdk = (): typeof Stripe => (sdk ??= require('stripe') as typeof Stripe);
import type { StripeObjectType } from '../../../shared/dto/stripe';
import { RequestPacer, sleep } from './pacing';
import type { StripeObjectJson } from './store';

export interface RawList {
  object: 'list';
  data: StripeObjectJson[];
  has_more: boolean;
}

export interface ListParams {
  limit: number;
  starting_after?: string;
  created?: { gte?: number; gt?: number };
}

export interface StripeApiOptions {
  /** STRIPE_API_BASE, e.g. http://127.0.0.1:12111 (tests, stripe-mock); Stripe's own API when absent. */
  apiBase?: string;
  maxRequestsPerSecond: number;
  /** First backoff after a 429 or a dropped connection; doubles each retry (with jitter). */
  retryBaseMs: number;
  maxRetries: number;
  /**
   * The longest one wait between retries may last, whatever Retry-After says (default 60 s): a misbehaving proxy's
   * `Retry-After: 86400` must not park the sync for a day. Cancel interrupts a wait at once (the signal).
   */
  maxRetryWaitMs?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Parses STRIPE_API_BASE into the SDK's host/port/protocol options. */
export function apiBaseOptions(apiBase: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiBase) return {};
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error(`STRIPE_API_BASE is not a URL (${apiBase.slice(0, 80)}); use e.g. http://127.0.0.1:12111`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/** Lists per type. Subscriptions: `status=all`, because Stripe leaves canceled ones out by default. */
const LISTERS: Record<StripeObjectType, (s: Stripe, p: ListParams) => Promise<unknown>> = {
  customer: (s, p) => s.customers.list(p),
  product: (s, p) => s.products.list(p),
  price: (s, p) => s.prices.list(p),
  subscription: (s, p) => s.subscriptions.list({ ...p, status: 'all', expand: ['data.discounts'] }),
  invoice: (s, p) => s.invoices.list(p),
  charge: (s, p) => s.charges.list(p),
  refund: (s, p) => s.refunds.list(p),
  dispute: (s, p) => s.disputes.list(p),
};

export type StripeFailure =
  | { kind: 'auth'; message: string }
  | { kind: 'permission'; message: string; permission: string | null }
  | { kind: 'rate'; message: string }
  | { kind: 'connection'; message: string }
  | { kind: 'invalid'; message: string; code: string | null }
  | { kind: 'cancelled'; message: string }
  | { kind: 'other'; message: string };

/** What kind of failure a thrown error is, by the SDK's error classes (they follow the HTTP status). */
export function classifyError(e: unknown, signal?: AbortSignal): StripeFailure {
  if (signal?.aborted) return { kind: 'cancelled', message: 'the sync was cancelled' };
  if (e instanceof StripeSdk().errors.StripeAuthenticationError) return { kind: 'auth', message: e.message };
  if (e instanceof StripeSdk().errors.StripePermissionError) {
    const m = /\brak_[a-z_]+\b/.exec(e.message);
    return { kind: 'permission', message: e.message, permission: m ? m[0] : null };
  }
  if (e instanceof StripeSdk().errors.StripeRateLimitError) return { kind: 'rate', message: e.message };
  if (e instanceof StripeSdk().errors.StripeConnectionError) return { kind: 'connection', message: e.message };
  if (e instanceof StripeSdk().errors.StripeInvalidRequestError) return { kind: 'invalid', message: e.message, code: e.code ?? null };
  if (e instanceof Error) return { kind: 'other', message: e.message };
  return { kind: 'other', message: String(e) };
}

function header(e: unknown, name: string): string | undefined {
  if (e instanceof StripeSdk().errors.StripeError && e.headers) {
    const v = e.headers[name];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

/** The wait before a retry: the backoff, or Stripe's Retry-After (seconds) when longer, never more than `capMs`. */
export function retryWaitMs(backoffMs: number, retryAfterSec: number, capMs: number): number {
  const asked = Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? Math.max(backoffMs, retryAfterSec * 1000) : backoffMs;
  return Math.min(asked, capMs);
}

/**
 * The SDK with the studio's request discipline: a rate cap, and its own retry loop (the SDK's is off) so a
 * 429 is retried unless Stripe says `Stripe-Should-Retry: false`, with exponential backoff, and every
 * request is counted for the progress readout.
 */
export class StripeApi {
  requests = 0;
  retries = 0;
  private readonly stripe: Stripe;
  private readonly pacer: RequestPacer;

  constructor(
    key: string,
    private readonly opts: StripeApiOptions,
  ) {
    this.stripe = new (StripeSdk())(key, {
      ...apiBaseOptions(opts.apiBase),
      maxNetworkRetries: 0,
      timeout: opts.timeoutMs ?? 30_000,
      telemetry: false,
      appInfo: { name: 'BambiSleep Church Studio' },
    });
    this.pacer = new RequestPacer(opts.maxRequestsPerSecond);
  }

  list(type: StripeObjectType, params: ListParams): Promise<RawList> {
    return this.call(() => LISTERS[type](this.stripe, params));
  }

  /** One read that proves a key works: a known customer (same account), or the first customer when none is known. */
  async verifyRead(customerId: string | null): Promise<void> {
    await this.call(() => (customerId ? this.stripe.customers.retrieve(customerId) : this.stripe.customers.list({ limit: 1 })));
  }

  events(params: ListParams): Promise<RawList> {
    return this.call(() => this.stripe.events.list(params));
  }

  private async call(fn: () => Promise<unknown>): Promise<RawList> {
    const { signal } = this.opts;
    for (let attempt = 0; ; attempt++) {
      await this.pacer.wait(signal);
      this.requests++;
      try {
        return (await fn()) as RawList;
      } catch (e) {
        if (signal?.aborted) throw e;
        const failure = classifyError(e);
        const retryable =
          (failure.kind === 'rate' || failure.kind === 'connection' || (e instanceof StripeSdk().errors.StripeAPIError && (e.statusCode ?? 0) >= 500)) &&
          header(e, 'stripe-should-retry') !== 'false';
        if (!retryable || attempt >= this.opts.maxRetries) throw e;
        this.retries++;
        const retryAfter = Number(header(e, 'retry-after'));
        const backoff = Math.min(this.opts.retryBaseMs * 2 ** attempt, 30_000) * (0.5 + Math.random() / 2);
        await sleep(retryWaitMs(backoff, retryAfter, this.opts.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS), signal);
      }
    }
  }
}

/** Verifies a webhook's Stripe-Signature with the signing secret and returns the event (throws when it does not match). */
export function verifyWebhook(payload: Buffer, signature: string, secret: string): { id: string; type: string; created: number; data: { object: StripeObjectJson } } {
  const event = StripeSdk().webhooks.constructEvent(payload, signature, secret);
  return event as unknown as { id: string; type: string; created: number; data: { object: StripeObjectJson } };
}
