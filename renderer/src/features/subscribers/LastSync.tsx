/** Placeholder: the status-bar readout of the last Stripe sync (Stripe work). */
export function LastSync() {
  return null;
}
