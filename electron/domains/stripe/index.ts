export { StripeSync, DEFAULT_STRIPE_SETTINGS, STRIPE_KEY_SECRET, STRIPE_WEBHOOK_SECRET, type StripeSyncDeps } from './StripeSync';
export { STRIPE_PERMISSIONS, checkRestrictedKey, maskKey, scrubKeys } from './keys';
export { computeMetrics, monthlyValue, perMonthFactor, subscriptionMrr } from './metrics';
export { subscribersCsv } from './review';
export { applyEvent, type StripeEventJson } from './applyEvent';
export { apiBaseOptions } from './api';
