import type { stripeRequests } from '../../../shared/contract/stripe';
import type { StripeSync } from '../../domains/stripe';
import type { DomainHandlers } from './types';

export function stripeHandlers(stripe: StripeSync): DomainHandlers<typeof stripeRequests> {
  return {
    'stripe.status': () => stripe.status(),
    'stripe.setKey': ({ key }) => stripe.setKey(key),
    'stripe.clearKey': () => stripe.clearKey(),
    'stripe.setWebhookSecret': ({ secret }) => stripe.setWebhookSecret(secret),
    'stripe.setSettings': (patch) => stripe.setSettings(patch),
    'stripe.sync': ({ full }) => stripe.sync({ full }),
    'stripe.cancelSync': () => stripe.cancel(),
    'stripe.subscribers': (q) => stripe.subscribers(q),
    'stripe.customer': ({ id }) => stripe.customer(id),
    'stripe.metrics': () => stripe.metrics(),
    'stripe.products': () => stripe.products(),
    'stripe.exportCsv': (q) => stripe.exportCsv(q),
  };
}
