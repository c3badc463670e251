import { STRIPE_KEY_ROTATE_DAYS } from '../../../../shared/dto/secrets';
import type { StripeStatus } from '../../../../shared/dto/stripe';

/** The key's age in Settings → Stripe: "set 12 days ago", or "age unknown" for a key stored before dates were kept. */
export function keyAgeText(key: StripeStatus['key']): string {
  if (key.ageDays === null || key.ageDays === undefined) return 'age unknown';
  return key.ageDays === 0 ? 'set today' : `set ${key.ageDays} day${key.ageDays === 1 ? '' : 's'} ago`;
}

/** The 90-day reminder (the seed's rule): on the Subscribers screen and in Settings → Stripe while it is due. */
export function KeyRotationReminder({ status }: { status: StripeStatus | null }) {
  if (!status?.key.present || !status.key.rotateDue) return null;
  return (
    <div className="banner banner-warn" data-testid="stripe-key-rotate">
      <span>
        The Stripe key {status.key.masked} was set {status.key.ageDays} days ago; rotate it every {STRIPE_KEY_ROTATE_DAYS} days. Create a new
        restricted key with the same read permissions, paste it in Settings → Stripe (or run <code>church stripe rotate-key</code>), then revoke
        the old one in the Stripe Dashboard.
      </span>
    </div>
  );
}
