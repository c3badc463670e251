import type { stripeRequests } from '../../../shared/contract/stripe';
import { StripeSync } from '../../domains/stripe';
import type { HostCore } from '../hostCore';
import { stripeHandlers } from '../handlers/stripe';
import type { ComposedDomain } from './types';

export function composeStripe(core: HostCore): ComposedDomain<StripeSync, typeof stripeRequests> {
  const service = new StripeSync({
    db: core.db,
    secrets: core.secrets,
    settings: core.settings,
    env: core.env,
    emitProgress: (p) => core.events.emit('stripe.progress', p),
    emitSynced: (r) => core.events.emit('stripe.synced', r),
    logError: core.logError,
  });
  let closing = false;
  return {
    service,
    handlers: stripeHandlers(service, core.audit),
    start() {
      // The webhook endpoint is opt-in (Settings → Stripe); only the primary process listens.
      // Not awaited (start() is synchronous); close() waits for a pending listen and stops what it opened.
      if (service.settings().webhookEnabled) {
        service.startWebhook().catch((e: unknown) => {
          if (!closing) core.logError('the Stripe webhook endpoint did not start', e);
        });
      }
    },
    close: () => {
      closing = true;
      return service.close();
    },
  };
}
