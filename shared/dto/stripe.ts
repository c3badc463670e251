import type { SecretStoreKind } from './secrets';
import type { AccessTier } from './library';

/** The kinds of Stripe object the studio keeps a local copy of (Stripe's `object` field). */
export const STRIPE_OBJECT_TYPES = ['customer', 'product', 'price', 'subscription', 'invoice', 'charge', 'refund', 'dispute'] as const;
export type StripeObjectType = (typeof STRIPE_OBJECT_TYPES)[number];

export const SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'paused'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** One read permission a restricted key needs: Stripe's dashboard label and the permission id in its 403 messages. */
export interface StripePermission {
  resource: string;
  label: string;
  permission: string;
  /** The object types synced with it (events feed every type). */
  covers: (StripeObjectType | 'event')[];
}

export interface StripeKeyInfo {
  present: boolean;
  /** `rk_live_…abcd`: the only form of the key that ever leaves main. */
  masked: string | null;
  mode: 'live' | 'test' | null;
  /** os-keychain (desktop, safeStorage), weak-file (safeStorage without a keychain), environment (CLI/serve: STRIPE_API_KEY) or memory. */
  store: SecretStoreKind;
  /** When the key was set (ISO); null when unknown (stored before dates were kept, or from the environment). */
  setAt?: string | null;
  ageDays?: number | null;
  /** Older than STRIPE_KEY_ROTATE_DAYS (90): Settings and `church doctor` remind to rotate it. */
  rotateDue?: boolean;
}

/** What `stripe.rotateKey` did: both keys masked (prefix and last four), never more. */
export interface StripeKeyRotation {
  previous: string;
  next: string;
  mode: 'live' | 'test';
  /** Said when the new key lasts only until the studio stops (the key comes from STRIPE_API_KEY). */
  note: string | null;
  status: StripeStatus;
}

export interface StripeSettingsDto {
  /** Requests per second the sync may make (Stripe allows 100 reads/s in live mode, 25 in test mode). */
  maxRequestsPerSecond: number;
  webhookEnabled: boolean;
  /** Loopback port of the webhook endpoint (`stripe listen --forward-to 127.0.0.1:PORT/webhook`). */
  webhookPort: number;
  /** Which library tier each Stripe product unlocks (products not listed unlock `subscriber`). */
  productTiers: Record<string, PaidTier>;
}

/** The library tiers a paid plan can unlock (free items are open to everyone). */
export type PaidTier = Exclude<AccessTier, 'free'>;

export interface StripeProductTier {
  id: string;
  name: string;
  active: boolean;
  tier: PaidTier;
  /** Subscriptions on this product that unlock it now (active, trialing, past_due). */
  subscribers: number;
}

export interface SyncTypeProgress {
  type: StripeObjectType;
  fetched: number;
  state: 'pending' | 'running' | 'done' | 'forbidden' | 'failed';
}

export interface SyncProgress {
  running: boolean;
  kind: 'backfill' | 'incremental';
  startedAt: string;
  types: SyncTypeProgress[];
  /** Events read and applied by an incremental run. */
  events: number;
  requests: number;
  /** Requests per second over the run so far. */
  requestRate: number;
  /** Objects per second over the run so far. */
  objectRate: number;
  retries: number;
}

export interface MissingPermission {
  type: StripeObjectType | 'event';
  permission: string;
  label: string;
}

export interface SyncReport {
  ok: boolean;
  outcome: 'synced' | 'partial' | 'key-rejected' | 'failed' | 'cancelled' | 'no-key';
  kind: 'backfill' | 'incremental';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  requests: number;
  retries: number;
  events: number;
  /** Objects written per type in this run. */
  objects: Partial<Record<StripeObjectType, number>>;
  missingPermissions: MissingPermission[];
  /** Why the incremental run became a backfill, when it did. */
  fellBackToBackfill: string | null;
  /** What happened and what to do, when not fully ok. */
  message: string | null;
}

export interface StripeStatus {
  key: StripeKeyInfo;
  webhookSecretSet: boolean;
  settings: StripeSettingsDto;
  /** Webhook endpoint URL when it is listening. */
  webhookUrl: string | null;
  lastSync: SyncReport | null;
  /** The last sync that succeeded (fully or partly): the age of the data shown. */
  lastGoodSyncAt: string | null;
  running: SyncProgress | null;
  counts: Record<StripeObjectType, number>;
  permissions: StripePermission[];
}

export interface SubscriberRow {
  subscriptionId: string;
  customerId: string;
  name: string | null;
  email: string | null;
  status: SubscriptionStatus;
  /** Product name (its id when the product was not synced). */
  product: string | null;
  productId: string | null;
  priceId: string | null;
  /** Interval of the first item (month, year, week, day) and its count. */
  interval: string | null;
  intervalCount: number;
  /** Per billing interval, in the currency's minor unit, quantities applied, before discounts. */
  amount: number;
  currency: string;
  /** Normalised to a month, quantities and discounts applied; 0 for trials and ended subscriptions. */
  mrr: number;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  lastInvoiceStatus: string | null;
  /** Succeeded charges minus refunds, minor unit. */
  lifetimePaid: number;
  created: string;
  /** What the subscription unlocks in the library now: its product's tier while active, trialing or past due, else free. */
  accessTier: AccessTier;
}

export const SUBSCRIBER_SORT_KEYS = ['name', 'email', 'status', 'amount', 'mrr', 'currentPeriodEnd', 'lifetimePaid', 'created'] as const;
export type SubscriberSortKey = (typeof SUBSCRIBER_SORT_KEYS)[number];

export interface SubscriberPage {
  rows: SubscriberRow[];
  total: number;
  /** Rows per status across the whole (unfiltered) list. */
  statusCounts: Partial<Record<SubscriptionStatus, number>>;
  syncedAt: string | null;
}

export interface CustomerSubscription {
  id: string;
  status: string;
  items: { priceId: string; product: string | null; amount: number; currency: string; interval: string | null; intervalCount: number; quantity: number }[];
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  created: string;
  mrr: number;
}

export interface CustomerInvoice {
  id: string;
  number: string | null;
  status: string | null;
  total: number;
  amountPaid: number;
  currency: string;
  created: string;
}

export interface CustomerCharge {
  id: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  created: string;
  failureMessage: string | null;
  disputed: boolean;
}

export interface CustomerDetail {
  id: string;
  name: string | null;
  email: string | null;
  created: string;
  deleted: boolean;
  currency: string | null;
  lifetimePaid: number;
  /** The highest tier any of their subscriptions unlocks now. */
  accessTier: AccessTier;
  subscriptions: CustomerSubscription[];
  invoices: CustomerInvoice[];
  charges: CustomerCharge[];
  syncedAt: string | null;
}

export interface MonthPoint {
  /** YYYY-MM */
  month: string;
  value: number;
}

export interface StripeMetrics {
  /** The currency of the money figures (the one most subscriptions use); minor unit. */
  currency: string;
  mrr: number;
  arr: number;
  activeSubscribers: number;
  active: number;
  trialing: number;
  pastDue: number;
  newLast30Days: number;
  churnedLast30Days: number;
  /** Churned in the last 30 days / subscriptions live 30 days ago, 0..1. */
  churnRate: number;
  /** MRR / active subscribers. */
  arpu: number;
  failedPaymentsLast30Days: number;
  renewalsNext7Days: number;
  mrrByCurrency: Record<string, number>;
  /** MRR at the end of each of the last 12 months, rebuilt from subscription start and end dates. */
  mrrHistory: MonthPoint[];
  /** Paid invoice amounts per month, last 12 months. */
  revenueByMonth: MonthPoint[];
  computedAt: string;
  syncedAt: string | null;
}

/**
 * Formats an amount in the currency's minor unit (as Stripe sends it) for people: 12345 usd → "$123.45",
 * 500 jpy → "¥500" (Intl knows which currencies have no minor unit).
 */
export function formatMinor(amount: number, currency: string, locale = 'en-US'): string {
  const code = currency.toUpperCase();
  try {
    const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
    const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
    return fmt.format(amount / 10 ** digits);
  } catch {
    return `${(amount / 100).toFixed(2)} ${code}`;
  }
}

/** "3 h ago", "just now", "never": the age of the local copy, shown wherever its data is. */
export function ageText(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never synced';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'synced just now';
  if (s < 3600) return `synced ${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `synced ${Math.round(s / 3600)} h ago`;
  return `synced ${Math.round(s / 86_400)} d ago`;
}
