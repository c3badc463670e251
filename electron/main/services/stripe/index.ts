/** Placeholder until the Stripe sync lands. */
export class StripeSync {}
