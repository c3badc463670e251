import type { z } from 'zod';
import type { subscriberQuerySchema } from '../../../shared/contract/stripe';
import type { AccessTier } from '../../../shared/dto/library';
import type { CustomerDetail, PaidTier, SubscriberPage, SubscriberRow, SubscriptionStatus } from '../../../shared/dto/stripe';
import { itemAmount, periodEnd, subscriptionMrr } from './metrics';
import { idOf, type ChargeJson, type CustomerJson, type InvoiceJson, type ProductJson, type SubscriptionJson } from './shapes';
import type { StripeStore } from './store';

export type SubscriberQuery = z.output<typeof subscriberQuerySchema>;

/** Subscriptions that unlock their product's tier: paying, trialing, or late but not yet given up. */
const UNLOCKING = new Set(['active', 'trialing', 'past_due']);
const TIER_RANK: Record<AccessTier, number> = { free: 0, subscriber: 1, premium: 2 };

export function higherTier(a: AccessTier, b: AccessTier): AccessTier {
  return TIER_RANK[a] >= TIER_RANK[b] ? a : b;
}

function accessTierOf(status: string, productId: string | null, productTiers: Record<string, PaidTier>): AccessTier {
  if (!UNLOCKING.has(status)) return 'free';
  return (productId && productTiers[productId]) || 'subscriber';
}

const iso = (sec: number | null | undefined): string | null => (sec ? new Date(sec * 1000).toISOString() : null);

/**
 * Builds the subscriber list from the local copy. The list is rebuilt only when the store changed (its
 * generation), so searching and sorting thousands of rows is an in-memory filter.
 */
export class SubscriberReview {
  private cache: { generation: string; tiers: string; rows: SubscriberRow[] } | null = null;

  constructor(
    private readonly store: StripeStore,
    private readonly now: () => number,
  ) {}

  rows(productTiers: Record<string, PaidTier>): SubscriberRow[] {
    const tiers = JSON.stringify(productTiers);
    if (this.cache && this.cache.generation === this.store.generation && this.cache.tiers === tiers) return this.cache.rows;
    const generation = this.store.generation;
    const customers = new Map(this.store.all<CustomerJson>('customer', { includeDeleted: true }).map((c) => [c.id, c]));
    const products = new Map(this.store.all<ProductJson>('product', { includeDeleted: true }).map((p) => [p.id, p]));
    const db = this.store.db;
    // The aggregate work stays in SQLite: newest invoice status and lifetime paid per customer.
    const lastInvoice = new Map(
      (
        db
          .prepare(
            // SQLite takes the bare column (status) from the row that holds MAX(created) in each group.
            `SELECT customer, json_extract(data, '$.status') AS status, MAX(created) AS newest FROM stripe_object
             WHERE type = 'invoice' AND deleted = 0 AND customer IS NOT NULL GROUP BY customer`,
          )
          .all() as { customer: string; status: string | null }[]
      ).map((r) => [r.customer, r.status]),
    );
    const paid = new Map(
      (
        db
          .prepare(
            `SELECT customer, SUM(json_extract(data, '$.amount') - COALESCE(json_extract(data, '$.amount_refunded'), 0)) AS paid
             FROM stripe_object WHERE type = 'charge' AND deleted = 0 AND customer IS NOT NULL AND json_extract(data, '$.status') = 'succeeded'
             GROUP BY customer`,
          )
          .all() as { customer: string; paid: number }[]
      ).map((r) => [r.customer, r.paid]),
    );
    const nowSec = this.now() / 1000;
    const rows: SubscriberRow[] = this.store.all<SubscriptionJson>('subscription').map((s) => {
      const customerId = idOf(s.customer) ?? '';
      const c = customers.get(customerId);
      const price = s.items?.data?.[0]?.price;
      const productId = price ? idOf(price.product ?? null) : null;
      const productName = price?.product && typeof price.product === 'object' && price.product.name ? price.product.name : productId ? (products.get(productId)?.name ?? productId) : null;
      const { amount, currency, interval, intervalCount } = itemAmount(s);
      return {
        subscriptionId: s.id,
        customerId,
        name: c?.name ?? null,
        email: c?.email ?? null,
        status: s.status as SubscriptionStatus,
        product: productName,
        productId,
        priceId: price?.id ?? null,
        interval,
        intervalCount,
        amount,
        currency,
        mrr: Math.round(subscriptionMrr(s, nowSec)),
        currentPeriodEnd: iso(periodEnd(s)),
        cancelAtPeriodEnd: s.cancel_at_period_end === true,
        lastInvoiceStatus: lastInvoice.get(customerId) ?? null,
        lifetimePaid: paid.get(customerId) ?? 0,
        created: iso(s.created) ?? new Date(0).toISOString(),
        accessTier: accessTierOf(s.status, productId, productTiers),
      };
    });
    this.cache = { generation, tiers, rows };
    return rows;
  }

  query(q: Omit<SubscriberQuery, 'offset' | 'limit'> & { offset?: number; limit?: number }, syncedAt: string | null, productTiers: Record<string, PaidTier>): SubscriberPage {
    const all = this.rows(productTiers);
    const statusCounts: SubscriberPage['statusCounts'] = {};
    for (const r of all) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
    const needle = q.search?.trim().toLowerCase();
    const statuses = q.status?.length ? new Set<string>(q.status) : null;
    const filtered = all.filter(
      (r) =>
        (!statuses || statuses.has(r.status)) &&
        (q.cancelAtPeriodEnd === undefined || r.cancelAtPeriodEnd === q.cancelAtPeriodEnd) &&
        (!needle || [r.name, r.email, r.customerId, r.subscriptionId, r.product].some((f) => f?.toLowerCase().includes(needle))),
    );
    const key = q.sort;
    const sign = q.dir === 'asc' ? 1 : -1;
    filtered.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (x === y) return a.subscriptionId < b.subscriptionId ? -1 : 1;
      if (x === null) return 1; // blanks last, whichever the direction
      if (y === null) return -1;
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sign;
    });
    const offset = q.offset ?? 0;
    return { rows: filtered.slice(offset, offset + (q.limit ?? filtered.length)), total: filtered.length, statusCounts, syncedAt };
  }

  customer(id: string, syncedAt: string | null, productTiers: Record<string, PaidTier>): CustomerDetail | null {
    const c = this.store.get('customer', id) as CustomerJson | null;
    if (!c) return null;
    const nowSec = this.now() / 1000;
    const subs = this.store.ofCustomer<SubscriptionJson>('subscription', id);
    const invoices = this.store.ofCustomer<InvoiceJson>('invoice', id);
    const charges = this.store.ofCustomer<ChargeJson>('charge', id);
    const products = new Map(this.store.all<ProductJson>('product', { includeDeleted: true }).map((p) => [p.id, p]));
    return {
      id: c.id,
      name: c.name ?? null,
      email: c.email ?? null,
      created: iso(c.created) ?? '',
      deleted: c.deleted === true,
      currency: c.currency ?? null,
      accessTier: subs.reduce<AccessTier>((t, s) => higherTier(t, accessTierOf(s.status, idOf(s.items?.data?.[0]?.price.product ?? null), productTiers)), 'free'),
      lifetimePaid: charges.filter((ch) => ch.status === 'succeeded').reduce((n, ch) => n + ch.amount - (ch.amount_refunded ?? 0), 0),
      subscriptions: subs.map((s) => ({
        id: s.id,
        status: s.status,
        items: (s.items?.data ?? []).map((it) => {
          const pid = idOf(it.price.product ?? null);
          return {
            priceId: it.price.id,
            product: pid ? (products.get(pid)?.name ?? pid) : null,
            amount: it.price.unit_amount ?? 0,
            currency: it.price.currency ?? 'usd',
            interval: it.price.recurring?.interval ?? null,
            intervalCount: it.price.recurring?.interval_count ?? 1,
            quantity: it.quantity ?? 1,
          };
        }),
        currentPeriodEnd: iso(periodEnd(s)),
        cancelAtPeriodEnd: s.cancel_at_period_end === true,
        created: iso(s.created) ?? '',
        mrr: Math.round(subscriptionMrr(s, nowSec)),
      })),
      invoices: invoices.map((i) => ({
        id: i.id,
        number: i.number ?? null,
        status: i.status ?? null,
        total: i.total ?? 0,
        amountPaid: i.amount_paid ?? 0,
        currency: i.currency ?? 'usd',
        created: iso(i.created) ?? '',
      })),
      charges: charges.map((ch) => ({
        id: ch.id,
        status: ch.status,
        amount: ch.amount,
        amountRefunded: ch.amount_refunded ?? 0,
        currency: ch.currency ?? 'usd',
        created: iso(ch.created) ?? '',
        failureMessage: ch.failure_message ?? null,
        disputed: ch.disputed === true,
      })),
      syncedAt,
    };
  }
}

const CSV_COLUMNS: (keyof SubscriberRow)[] = [
  'name',
  'email',
  'status',
  'product',
  'priceId',
  'interval',
  'intervalCount',
  'amount',
  'currency',
  'mrr',
  'currentPeriodEnd',
  'cancelAtPeriodEnd',
  'lastInvoiceStatus',
  'lifetimePaid',
  'accessTier',
  'customerId',
  'subscriptionId',
  'created',
];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet; prefix it so it stays text.
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (CRLF line ends), money in minor units like the rest of the studio. */
export function subscribersCsv(rows: SubscriberRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((k) => csvCell(r[k])).join(','))].join('\r\n') + '\r\n';
}
