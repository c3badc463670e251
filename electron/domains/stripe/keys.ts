import { ChurchError } from '../../../shared/errors';
import type { StripeObjectType, StripePermission } from '../../../shared/dto/stripe';

/**
 * The read permissions to grant a restricted key, as Stripe's dashboard names them ("Customers: Read") and as
 * its 403 messages name them (`rak_customer_read`). Nothing here writes, so nothing asks for Write.
 */
export const STRIPE_PERMISSIONS: StripePermission[] = [
  { resource: 'Customers', label: 'Customers: Read', permission: 'rak_customer_read', covers: ['customer'] },
  { resource: 'Products', label: 'Products: Read', permission: 'rak_product_read', covers: ['product'] },
  { resource: 'Prices', label: 'Prices: Read', permission: 'rak_plan_read', covers: ['price'] },
  { resource: 'Subscriptions', label: 'Subscriptions: Read', permission: 'rak_subscription_read', covers: ['subscription'] },
  { resource: 'Invoices', label: 'Invoices: Read', permission: 'rak_invoice_read', covers: ['invoice'] },
  { resource: 'Charges', label: 'Charges: Read', permission: 'rak_charge_read', covers: ['charge'] },
  { resource: 'Refunds', label: 'Refunds: Read', permission: 'rak_refund_read', covers: ['refund'] },
  { resource: 'Disputes', label: 'Disputes: Read', permission: 'rak_dispute_read', covers: ['dispute'] },
  { resource: 'Events', label: 'Events: Read', permission: 'rak_event_read', covers: ['event'] },
];

export function permissionFor(type: StripeObjectType | 'event'): StripePermission {
  const p = STRIPE_PERMISSIONS.find((x) => x.covers.includes(type));
  if (!p) throw new Error(`no permission listed for ${type}`);
  return p;
}

const RESTRICTED = /^rk_(live|test)_[A-Za-z0-9]{8,}$/;

const HOW_TO =
  'create a restricted key instead: Stripe Dashboard → Developers → API keys → "Create restricted key", ' +
  `set ${STRIPE_PERMISSIONS.map((p) => p.label).join(', ')} and leave everything else at None, then paste the rk_live_… (or rk_test_…) key here`;

/** Accepts a restricted key; refuses a full secret key (it can change and refund things) with how to make one. */
export function checkRestrictedKey(raw: string): { key: string; mode: 'live' | 'test' } {
  const key = raw.trim();
  if (/^sk_(live|test)_/.test(key)) {
    throw new ChurchError('INVALID_INPUT', `that is a full secret key (sk_…), which can charge, refund and delete; the studio only reads, so ${HOW_TO}`);
  }
  if (/^pk_(live|test)_/.test(key)) {
    throw new ChurchError('INVALID_INPUT', `that is a publishable key (pk_…), which cannot read customers; ${HOW_TO}`);
  }
  const m = RESTRICTED.exec(key);
  if (!m) throw new ChurchError('INVALID_INPUT', `that does not look like a Stripe restricted key (rk_live_… or rk_test_…); ${HOW_TO}`);
  return { key, mode: m[1] === 'live' ? 'live' : 'test' };
}

/** `rk_live_…abcd`: enough to recognise the key, never enough to use it. */
export function maskKey(key: string): string {
  const m = /^((?:rk|sk|pk)_(?:live|test)_)/.exec(key);
  const prefix = m ? m[1] : '';
  return `${prefix}…${key.slice(-4)}`;
}

export function keyMode(key: string): 'live' | 'test' | null {
  const m = /^(?:rk|sk)_(live|test)_/.exec(key);
  return m ? (m[1] as 'live' | 'test') : null;
}

/** Masks any Stripe key inside a message from the SDK or a server before it is shown or logged. */
export function scrubKeys(text: string): string {
  return text.replace(/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9]+/g, (k) => maskKey(k));
}
