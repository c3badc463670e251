/**
 * The fields of Stripe objects the review reads, as Stripe's JSON has them. Optional where Stripe's API
 * versions disagree (current_period_end moved from the subscription to its items in 2025-03-31.basil;
 * a discount's coupon moved under `source` in 2025-09-30.clover): readers accept both.
 */
export interface CouponJson {
  id?: string;
  percent_off?: number | null;
  amount_off?: number | null;
  currency?: string | null;
  duration?: 'once' | 'repeating' | 'forever';
}

export interface DiscountJson {
  id?: string;
  coupon?: CouponJson | string | null;
  source?: { coupon?: CouponJson | string | null } | null;
  end?: number | null;
}

export interface PriceJson {
  id: string;
  product?: string | { id: string; name?: string } | null;
  unit_amount?: number | null;
  unit_amount_decimal?: string | null;
  currency?: string;
  nickname?: string | null;
  recurring?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number } | null;
}

export interface SubscriptionItemJson {
  id?: string;
  price: PriceJson;
  quantity?: number | null;
  current_period_end?: number | null;
}

export interface SubscriptionJson {
  id: string;
  customer: string | { id: string };
  status: string;
  created: number;
  start_date?: number | null;
  ended_at?: number | null;
  canceled_at?: number | null;
  trial_end?: number | null;
  cancel_at_period_end?: boolean;
  current_period_end?: number | null;
  currency?: string;
  items?: { data: SubscriptionItemJson[] };
  discounts?: (DiscountJson | string)[];
}

export interface CustomerJson {
  id: string;
  name?: string | null;
  email?: string | null;
  created: number;
  currency?: string | null;
  deleted?: boolean;
}

export interface ProductJson {
  id: string;
  name?: string;
}

export interface InvoiceJson {
  id: string;
  customer?: string | null;
  number?: string | null;
  status?: string | null;
  total?: number;
  amount_paid?: number;
  currency?: string;
  created: number;
  status_transitions?: { paid_at?: number | null } | null;
}

export interface ChargeJson {
  id: string;
  customer?: string | null;
  status: string;
  amount: number;
  amount_refunded?: number;
  currency?: string;
  created: number;
  failure_message?: string | null;
  disputed?: boolean;
}

export function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : ref.id;
}
