/** Placeholder: the Stripe key and sync section of Settings (Stripe work). */
export function StripeSettings() {
  return null;
}
