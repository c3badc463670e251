import type { stripeRequests } from '../../../../shared/contract/stripe';
import { StripeSync } from '../../services/stripe';
import type { HostCore } from '../createHost';
import type { ComposedDomain } from './types';

export function composeStripe(_core: HostCore): ComposedDomain<StripeSync, typeof stripeRequests> {
  return { service: new StripeSync(), handlers: {} };
}
