import type { FakeObject, FakeStripe } from './fakeStripe';

const DAY = 86_400;

export function addProduct(fake: FakeStripe, name: string, opts: { silent?: boolean } = {}): FakeObject {
  return fake.add('product', { name, active: true, description: null, metadata: {} }, opts);
}

export function addPrice(
  fake: FakeStripe,
  product: FakeObject,
  p: { amount: number; interval: 'day' | 'week' | 'month' | 'year'; count?: number; currency?: string },
  opts: { silent?: boolean } = {},
): FakeObject {
  return fake.add(
    'price',
    {
      active: true,
      currency: p.currency ?? 'usd',
      product: product.id,
      type: 'recurring',
      unit_amount: p.amount,
      unit_amount_decimal: String(p.amount),
      recurring: { interval: p.interval, interval_count: p.count ?? 1, usage_type: 'licensed' },
      nickname: null,
    },
    opts,
  );
}

/** A discount as Stripe's 2025+ API versions shape it: the coupon under `source`. */
export function addDiscount(fake: FakeStripe, coupon: { percentOff?: number; amountOff?: number; currency?: string }): string {
  const id = fake.nextId('di');
  fake.discounts.set(id, {
    id,
    object: 'discount',
    end: null,
    source: {
      type: 'coupon',
      coupon: { id: `co_${id.slice(3)}`, object: 'coupon', percent_off: coupon.percentOff ?? null, amount_off: coupon.amountOff ?? null, currency: coupon.amountOff ? (coupon.currency ?? 'usd') : null, duration: 'forever' },
    },
  });
  return id;
}

export function addCustomer(fake: FakeStripe, name: string, email: string, opts: { silent?: boolean; created?: number } = {}): FakeObject {
  const c = fake.add('customer', { name, email, currency: 'usd', delinquent: false, metadata: {} }, opts);
  if (opts.created) c.created = opts.created;
  return c;
}

export interface SubSpec {
  customer: FakeObject;
  items: { price: FakeObject; quantity?: number }[];
  status?: string;
  startDate?: number;
  trialEnd?: number | null;
  cancelAtPeriodEnd?: boolean;
  endedAt?: number | null;
  periodEnd?: number;
  discounts?: string[];
  silent?: boolean;
}

export function addSubscription(fake: FakeStripe, s: SubSpec): FakeObject {
  const now = fake.clock();
  const start = s.startDate ?? now - 10 * DAY;
  const periodEnd = s.periodEnd ?? now + 20 * DAY;
  const sub = fake.add(
    'subscription',
    {
      customer: s.customer.id,
      status: s.status ?? 'active',
      start_date: start,
      ended_at: s.endedAt ?? null,
      canceled_at: s.endedAt ?? null,
      trial_end: s.trialEnd ?? null,
      cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
      currency: (s.items[0]?.price.currency as string) ?? 'usd',
      discounts: s.discounts ?? [],
      items: {
        object: 'list',
        data: s.items.map((it, i) => ({
          id: `si_${i}${fake.nextId('price').slice(6)}`,
          object: 'subscription_item',
          price: structuredClone(it.price),
          quantity: it.quantity ?? 1,
          current_period_start: periodEnd - 30 * DAY,
          current_period_end: periodEnd,
        })),
        has_more: false,
        url: '/v1/subscription_items',
      },
    },
    { silent: s.silent },
  );
  sub.created = start;
  return sub;
}

export function addInvoice(fake: FakeStripe, sub: FakeObject, p: { amount: number; status: string; created?: number; silent?: boolean }): FakeObject {
  const inv = fake.add(
    'invoice',
    {
      customer: sub.customer,
      subscription: sub.id,
      number: `FAKE-${fake.nextId('invoice').slice(3, 13)}`,
      status: p.status,
      total: p.amount,
      amount_due: p.amount,
      amount_paid: p.status === 'paid' ? p.amount : 0,
      currency: 'usd',
      status_transitions: { paid_at: p.status === 'paid' ? (p.created ?? fake.clock()) : null },
    },
    { silent: p.silent },
  );
  if (p.created) inv.created = p.created;
  return inv;
}

export function addCharge(fake: FakeStripe, customer: string, p: { amount: number; status: 'succeeded' | 'failed'; refunded?: number; created?: number; silent?: boolean }): FakeObject {
  const ch = fake.add(
    'charge',
    {
      customer,
      amount: p.amount,
      amount_captured: p.status === 'succeeded' ? p.amount : 0,
      amount_refunded: p.refunded ?? 0,
      currency: 'usd',
      status: p.status,
      paid: p.status === 'succeeded',
      failure_message: p.status === 'failed' ? 'Your card was declined.' : null,
      disputed: false,
    },
    { silent: p.silent },
  );
  if (p.created) ch.created = p.created;
  return ch;
}

/**
 * A shop of `customers` customers, each with one subscription (monthly or yearly, a few past_due, trialing and
 * canceled), `invoicesPerSub` paid invoices and one charge each. Silent: no events (it is the starting state).
 */
export function seedShop(fake: FakeStripe, n: { customers: number; invoicesPerSub?: number }): { products: FakeObject[]; prices: FakeObject[] } {
  const products = [addProduct(fake, 'Church Basic', { silent: true }), addProduct(fake, 'Church Devotee', { silent: true })];
  const prices = [
    addPrice(fake, products[0]!, { amount: 500, interval: 'month' }, { silent: true }),
    addPrice(fake, products[1]!, { amount: 12_000, interval: 'year' }, { silent: true }),
    addPrice(fake, products[1]!, { amount: 1500, interval: 'month' }, { silent: true }),
  ];
  const statuses = ['active', 'active', 'active', 'active', 'active', 'active', 'past_due', 'trialing', 'canceled', 'active'];
  const now = fake.clock();
  for (let i = 0; i < n.customers; i++) {
    const c = addCustomer(fake, `Subscriber ${i}`, `sub${i}@example.test`, { silent: true, created: now - (i % 300) * DAY });
    const status = statuses[i % statuses.length]!;
    const sub = addSubscription(fake, {
      customer: c,
      items: [{ price: prices[i % prices.length]!, quantity: 1 }],
      status,
      startDate: now - ((i % 300) + 1) * DAY,
      trialEnd: status === 'trialing' ? now + 5 * DAY : null,
      endedAt: status === 'canceled' ? now - (i % 20) * DAY : null,
      silent: true,
    });
    for (let k = 0; k < (n.invoicesPerSub ?? 1); k++) {
      addInvoice(fake, sub, { amount: 500, status: status === 'past_due' && k === 0 ? 'open' : 'paid', created: now - k * 30 * DAY, silent: true });
    }
    addCharge(fake, c.id, { amount: 500, status: status === 'past_due' ? 'failed' : 'succeeded', silent: true });
  }
  return { products, prices };
}
