import { describe, expect, it } from 'vitest';
import { computeMetrics, monthlyValue, perMonthFactor } from '../../electron/domains/stripe';
import type { ChargeJson, InvoiceJson, SubscriptionJson } from '../../electron/domains/stripe/shapes';

const DAY = 86_400;
const NOW = Date.UTC(2026, 5, 15) / 1000; // 2026-06-15T00:00:00Z

let n = 0;
function sub(p: {
  amount: number;
  interval: 'day' | 'week' | 'month' | 'year';
  count?: number;
  quantity?: number;
  status?: string;
  start?: number;
  trialEnd?: number;
  endedAt?: number;
  cancelAtPeriodEnd?: boolean;
  periodEnd?: number;
  percentOff?: number;
  amountOff?: number;
  currency?: string;
}): SubscriptionJson {
  n++;
  const currency = p.currency ?? 'usd';
  const discounts = [];
  if (p.percentOff) discounts.push({ id: `di_p${n}`, end: null, source: { coupon: { percent_off: p.percentOff } } });
  if (p.amountOff) discounts.push({ id: `di_a${n}`, end: null, coupon: { amount_off: p.amountOff, currency } }); // the pre-2025 shape
  return {
    id: `sub_${n}`,
    customer: `cus_${n}`,
    status: p.status ?? 'active',
    created: p.start ?? NOW - 60 * DAY,
    start_date: p.start ?? NOW - 60 * DAY,
    ended_at: p.endedAt ?? null,
    trial_end: p.trialEnd ?? null,
    cancel_at_period_end: p.cancelAtPeriodEnd ?? false,
    currency,
    discounts,
    items: {
      data: [
        {
          price: { id: `price_${n}`, unit_amount: p.amount, currency, recurring: { interval: p.interval, interval_count: p.count ?? 1 } },
          quantity: p.quantity ?? 1,
          current_period_end: p.periodEnd ?? NOW + 20 * DAY,
        },
      ],
    },
  };
}

describe('MRR normalisation', () => {
  it('turns every interval into a month', () => {
    expect(perMonthFactor('month')).toBe(1);
    expect(perMonthFactor('month', 3)).toBeCloseTo(1 / 3);
    expect(perMonthFactor('year')).toBeCloseTo(1 / 12);
    expect(perMonthFactor('week')).toBeCloseTo(52 / 12);
    expect(perMonthFactor('day')).toBeCloseTo(365 / 12);
  });

  it('applies quantity, then percent off, then amount off (per invoice, so normalised too), never below zero', () => {
    expect(monthlyValue(sub({ amount: 1000, interval: 'month', quantity: 3 }), NOW)).toBe(3000);
    // 12000/yr = 1000/mo, 10% off = 900, 1200 off per year = 100/mo → 800
    expect(monthlyValue(sub({ amount: 12_000, interval: 'year', percentOff: 10, amountOff: 1200 }), NOW)).toBeCloseTo(800);
    expect(monthlyValue(sub({ amount: 500, interval: 'month', amountOff: 900 }), NOW)).toBe(0);
  });

  it('ignores a one-time coupon and one that has ended', () => {
    const once = sub({ amount: 2000, interval: 'month' });
    once.discounts = [{ id: 'di_once', end: null, source: { coupon: { percent_off: 50, duration: 'once' } } }];
    expect(monthlyValue(once, NOW)).toBe(2000);
    const ended = sub({ amount: 2000, interval: 'month' });
    ended.discounts = [{ id: 'di_old', end: NOW - DAY, source: { coupon: { percent_off: 50, duration: 'repeating' } } }];
    expect(monthlyValue(ended, NOW)).toBe(2000);
    expect(monthlyValue(ended, NOW - 2 * DAY)).toBe(1000);
  });
});

describe('business metrics from the local copy', () => {
  const subs = [
    sub({ amount: 1000, interval: 'month', quantity: 2, periodEnd: NOW + 3 * DAY }), // A 2000, renews in 3 days
    sub({ amount: 12_000, interval: 'year', periodEnd: NOW + 200 * DAY }), // B 1000
    sub({ amount: 300, interval: 'week' }), // C 300*52/12 = 1300
    sub({ amount: 2000, interval: 'month', percentOff: 25 }), // D 1500
    sub({ amount: 2000, interval: 'month', amountOff: 500 }), // E 1500
    sub({ amount: 5000, interval: 'month', status: 'trialing', start: NOW - 3 * DAY, trialEnd: NOW + 5 * DAY }), // F trial: 0, new
    sub({ amount: 1000, interval: 'month', cancelAtPeriodEnd: true, periodEnd: NOW + 2 * DAY }), // G 1000, ends (no renewal)
    sub({ amount: 1000, interval: 'month', status: 'past_due', periodEnd: NOW + 1 * DAY }), // H 1000, still owed, renews
    sub({ amount: 1000, interval: 'month', status: 'canceled', start: NOW - 100 * DAY, endedAt: NOW - 10 * DAY }), // I churned
    sub({ amount: 3000, interval: 'month', count: 3, start: NOW - 5 * DAY }), // J quarterly 1000, new
  ];
  const invoices: InvoiceJson[] = [
    { id: 'in_1', customer: 'cus_1', status: 'paid', amount_paid: 1000, currency: 'usd', created: Date.UTC(2026, 5, 1) / 1000, status_transitions: { paid_at: Date.UTC(2026, 5, 1) / 1000 } },
    { id: 'in_2', customer: 'cus_2', status: 'paid', amount_paid: 2000, currency: 'usd', created: Date.UTC(2026, 4, 10) / 1000 },
    { id: 'in_3', customer: 'cus_8', status: 'open', amount_paid: 0, total: 500, currency: 'usd', created: NOW - DAY },
  ];
  const charges: ChargeJson[] = [
    { id: 'ch_1', customer: 'cus_8', status: 'failed', amount: 1000, created: NOW - 2 * DAY },
    { id: 'ch_2', customer: 'cus_8', status: 'failed', amount: 1000, created: NOW - 40 * DAY },
    { id: 'ch_3', customer: 'cus_1', status: 'succeeded', amount: 2000, created: NOW - 2 * DAY },
  ];
  const m = computeMetrics({ subscriptions: subs, invoices, charges, now: NOW, syncedAt: null });

  it('MRR: monthly, yearly, weekly and quarterly prices, quantities, discounts; trials and canceled excluded; past_due and cancel-at-period-end included', () => {
    expect(m.currency).toBe('usd');
    expect(m.mrr).toBe(2000 + 1000 + 1300 + 1500 + 1500 + 1000 + 1000 + 1000);
    expect(m.arr).toBe(10_300 * 12);
  });

  it('counts, churn, ARPU, failed payments and renewals', () => {
    expect(m).toMatchObject({ active: 7, trialing: 1, pastDue: 1, activeSubscribers: 8 });
    expect(m.arpu).toBe(1288); // 10300 / 8 = 1287.5
    expect(m.newLast30Days).toBe(2); // F (a trial) and J
    expect(m.churnedLast30Days).toBe(1); // I
    expect(m.churnRate).toBe(0.125); // 1 of the 8 live 30 days ago (A B C D E G H I)
    expect(m.failedPaymentsLast30Days).toBe(1);
    expect(m.renewalsNext7Days).toBe(2); // A and H; G ends instead
  });

  it('MRR history and revenue per month', () => {
    expect(m.mrrHistory).toHaveLength(12);
    expect(m.mrrHistory.at(-1)).toEqual({ month: '2026-06', value: 10_300 });
    expect(m.mrrHistory.find((p) => p.month === '2026-05')!.value).toBe(10_300); // I still paying, J not yet
    expect(m.mrrHistory.find((p) => p.month === '2026-03')!.value).toBe(1000); // only I
    expect(m.mrrHistory.find((p) => p.month === '2026-02')!.value).toBe(0);
    expect(m.revenueByMonth.find((p) => p.month === '2026-06')!.value).toBe(1000);
    expect(m.revenueByMonth.find((p) => p.month === '2026-05')!.value).toBe(2000);
  });

  it('keeps other currencies apart', () => {
    const mixed = computeMetrics({ subscriptions: [...subs, sub({ amount: 900, interval: 'month', currency: 'eur' })], invoices: [], charges: [], now: NOW, syncedAt: null });
    expect(mixed.mrr).toBe(10_300);
    expect(mixed.mrrByCurrency).toEqual({ usd: 10_300, eur: 900 });
  });
});
