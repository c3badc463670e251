import type { MonthPoint, StripeMetrics } from '../../../shared/dto/stripe';
import { idOf, type ChargeJson, type CouponJson, type InvoiceJson, type SubscriptionJson } from './shapes';

const DAY = 86_400;

/** How many of an interval fit in a month: a year is 1/12, a week 52/12, a day 365/12 (then / interval_count). */
export function perMonthFactor(interval: string | null | undefined, count = 1): number {
  const n = Math.max(1, count);
  switch (interval) {
    case 'month':
      return 1 / n;
    case 'year':
      return 1 / (12 * n);
    case 'week':
      return 52 / 12 / n;
    case 'day':
      return 365 / 12 / n;
    default:
      return 0;
  }
}

/** MRR counts paying subscriptions: active and past_due (still owed). Trials, unpaid, canceled and incomplete do not. */
export const MRR_STATUSES = new Set(['active', 'past_due']);

function couponOf(d: unknown): CouponJson | null {
  if (!d || typeof d !== 'object') return null;
  const disc = d as { coupon?: unknown; source?: { coupon?: unknown } | null; end?: number | null };
  const c = disc.coupon ?? disc.source?.coupon;
  return c && typeof c === 'object' ? (c as CouponJson) : null;
}

function discountEnd(d: unknown): number | null {
  return d && typeof d === 'object' && 'end' in d && typeof d.end === 'number' ? d.end : null;
}

export function itemAmount(sub: SubscriptionJson): { amount: number; currency: string; interval: string | null; intervalCount: number } {
  const items = sub.items?.data ?? [];
  let amount = 0;
  for (const it of items) {
    const unit = it.price.unit_amount ?? (it.price.unit_amount_decimal ? Number(it.price.unit_amount_decimal) : 0);
    amount += unit * (it.quantity ?? 1);
  }
  const first = items[0]?.price;
  return { amount, currency: first?.currency ?? sub.currency ?? 'usd', interval: first?.recurring?.interval ?? null, intervalCount: first?.recurring?.interval_count ?? 1 };
}

/**
 * The monthly value of a subscription at time `at` (seconds), as if it were paying: each item's price times its
 * quantity normalised to a month, then the discounts still running at `at` (percent first, then amount off,
 * which Stripe applies per invoice and so is normalised with the subscription's interval), never below zero.
 * A `once` coupon only touches the first invoice, so it does not lower the recurring figure (as in Stripe's
 * own MRR). Not rounded: totals are rounded once, at the end.
 */
export function monthlyValue(sub: SubscriptionJson, at: number): number {
  let total = 0;
  for (const it of sub.items?.data ?? []) {
    const unit = it.price.unit_amount ?? (it.price.unit_amount_decimal ? Number(it.price.unit_amount_decimal) : 0);
    total += unit * (it.quantity ?? 1) * perMonthFactor(it.price.recurring?.interval, it.price.recurring?.interval_count ?? 1);
  }
  const { interval, intervalCount, currency } = itemAmount(sub);
  const coupons = (sub.discounts ?? []).filter((d) => {
    const end = discountEnd(d);
    return (end === null || end > at) && couponOf(d)?.duration !== 'once';
  });
  for (const d of coupons) {
    const c = couponOf(d);
    if (c?.percent_off) total *= 1 - c.percent_off / 100;
  }
  for (const d of coupons) {
    const c = couponOf(d);
    if (c?.amount_off && (!c.currency || c.currency === currency)) total -= c.amount_off * perMonthFactor(interval, intervalCount);
  }
  return Math.max(0, total);
}

/** The subscription's MRR now: its monthly value when it is paying (active or past_due), else 0. */
export function subscriptionMrr(sub: SubscriptionJson, now: number): number {
  return MRR_STATUSES.has(sub.status) ? monthlyValue(sub, now) : 0;
}

export function periodEnd(sub: SubscriptionJson): number | null {
  return sub.items?.data?.[0]?.current_period_end ?? sub.current_period_end ?? null;
}

/** When the subscription stopped (canceled ones carry ended_at; older data may only have canceled_at). */
function endedAt(sub: SubscriptionJson): number | null {
  if (sub.ended_at) return sub.ended_at;
  return sub.status === 'canceled' || sub.status === 'incomplete_expired' ? (sub.canceled_at ?? null) : null;
}

function startedAt(sub: SubscriptionJson): number {
  return sub.start_date ?? sub.created;
}

const NEVER_STARTED = new Set(['incomplete', 'incomplete_expired']);

/** True when the subscription was live and past any trial at `t` (for MRR history and churn's denominator). */
function payingAt(sub: SubscriptionJson, t: number): boolean {
  if (NEVER_STARTED.has(sub.status)) return false;
  const end = endedAt(sub);
  if (startedAt(sub) > t || (end !== null && end <= t)) return false;
  return !(sub.trial_end && sub.trial_end > t);
}

function monthKey(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The last `n` month keys ending with the month of `now`, and each month's end (or now, for the current one). */
function lastMonths(now: number, n: number): { month: string; end: number }[] {
  const d = new Date(now * 1000);
  const out: { month: string; end: number }[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1) / 1000;
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i + 1, 1) / 1000;
    out.push({ month: monthKey(start), end: Math.min(next - 1, now) });
  }
  return out;
}

export interface MetricsInput {
  subscriptions: SubscriptionJson[];
  invoices: InvoiceJson[];
  charges: ChargeJson[];
  /** Seconds. */
  now: number;
  syncedAt: string | null;
}

/** Every business figure, computed from the local copy only. Money in the currency's minor unit. */
export function computeMetrics(input: MetricsInput): StripeMetrics {
  const { subscriptions: subs, now } = input;
  const byCurrencyCount = new Map<string, number>();
  for (const s of subs) {
    const c = itemAmount(s).currency;
    byCurrencyCount.set(c, (byCurrencyCount.get(c) ?? 0) + 1);
  }
  const currency = [...byCurrencyCount.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'usd';
  const inCurrency = subs.filter((s) => itemAmount(s).currency === currency);

  const mrrByCurrencyRaw: Record<string, number> = {};
  for (const s of subs) {
    const c = itemAmount(s).currency;
    mrrByCurrencyRaw[c] = (mrrByCurrencyRaw[c] ?? 0) + subscriptionMrr(s, now);
  }
  const mrrByCurrency = Object.fromEntries(Object.entries(mrrByCurrencyRaw).map(([c, v]) => [c, Math.round(v)]));
  const mrr = mrrByCurrency[currency] ?? 0;

  const payingCustomers = new Set(subs.filter((s) => MRR_STATUSES.has(s.status)).map((s) => idOf(s.customer)));
  const count = (status: string) => subs.filter((s) => s.status === status).length;
  const windowStart = now - 30 * DAY;
  const churned = subs.filter((s) => {
    const end = endedAt(s);
    return end !== null && end > windowStart && end <= now && !NEVER_STARTED.has(s.status);
  }).length;
  const liveAtStart = subs.filter((s) => {
    if (NEVER_STARTED.has(s.status)) return false;
    const end = endedAt(s);
    return startedAt(s) <= windowStart && (end === null || end > windowStart);
  }).length;
  const newSubs = subs.filter((s) => !NEVER_STARTED.has(s.status) && startedAt(s) > windowStart && startedAt(s) <= now).length;
  const renewals = subs.filter((s) => {
    const end = periodEnd(s);
    return MRR_STATUSES.has(s.status) && !s.cancel_at_period_end && end !== null && end >= now && end <= now + 7 * DAY;
  }).length;
  const failed = input.charges.filter((c) => c.status === 'failed' && c.created > windowStart && c.created <= now).length;

  const months = lastMonths(now, 12);
  const mrrHistory: MonthPoint[] = months.map(({ month, end }) => ({
    month,
    value: Math.round(inCurrency.reduce((sum, s) => sum + (payingAt(s, end) ? monthlyValue(s, end) : 0), 0)),
  }));
  const revenue = new Map(months.map((m) => [m.month, 0]));
  for (const inv of input.invoices) {
    if (inv.status !== 'paid' || (inv.currency ?? currency) !== currency) continue;
    const key = monthKey(inv.status_transitions?.paid_at ?? inv.created);
    if (revenue.has(key)) revenue.set(key, (revenue.get(key) ?? 0) + (inv.amount_paid ?? 0));
  }

  return {
    currency,
    mrr,
    arr: mrr * 12,
    activeSubscribers: payingCustomers.size,
    active: count('active'),
    trialing: count('trialing'),
    pastDue: count('past_due'),
    newLast30Days: newSubs,
    churnedLast30Days: churned,
    churnRate: liveAtStart ? Math.round((churned / liveAtStart) * 10_000) / 10_000 : 0,
    arpu: payingCustomers.size ? Math.round(mrr / payingCustomers.size) : 0,
    failedPaymentsLast30Days: failed,
    renewalsNext7Days: renewals,
    mrrByCurrency,
    mrrHistory,
    revenueByMonth: [...revenue.entries()].map(([month, value]) => ({ month, value })),
    computedAt: new Date(now * 1000).toISOString(),
    syncedAt: input.syncedAt,
  };
}
