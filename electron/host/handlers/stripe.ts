import type { stripeRequests } from '../../../shared/contract/stripe';
import type { StripeSync } from '../../domains/stripe';
import type { AuditLog } from '../../platform/audit';
import type { DomainHandlers } from './types';

export function stripeHandlers(stripe: StripeSync, audit: Pick<AuditLog, 'write'>): DomainHandlers<typeof stripeRequests> {
  return {
    'stripe.status': () => stripe.status(),
    'stripe.rotateKey': async ({ key }, ctx) => {
      const r = await stripe.rotateKey(key);
      // The request's own entry holds no key (redacted); this one says which key replaced which, by prefix.
      audit.write({ actor: ctx.actor, action: 'stripe.keyRotated', input: { previous: r.previous, next: r.next, mode: r.mode }, ok: true });
      return r;
    },
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
