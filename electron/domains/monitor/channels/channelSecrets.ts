import type { AlertChannelsSettings, PushChannelName } from '../../../../shared/dto/alertChannels';

/** Each push channel's secret in the secret store (CHURCH_WEBHOOK_TOKEN, CHURCH_NTFY_TOKEN, CHURCH_GOTIFY_TOKEN headless). */
export const CHANNEL_SECRETS: Record<PushChannelName, string> = {
  webhook: 'alert-webhook-token',
  ntfy: 'ntfy-token',
  gotify: 'gotify-token',
};

/** What Settings calls each channel. */
export const CHANNEL_LABELS: Record<PushChannelName, string> = { webhook: 'Webhook', ntfy: 'ntfy', gotify: 'Gotify' };

function normalized(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return '';
  }
}

/**
 * Where a channel's secret may go: the webhook's whole URL, the ntfy server and user (a password is one user's),
 * the Gotify server. '' while none is set. Moving it clears the secret unless it is entered again.
 */
export function channelDestination(channel: PushChannelName, c: AlertChannelsSettings): string {
  if (channel === 'webhook') return c.webhook.url ? `webhook:${normalized(c.webhook.url)}` : '';
  if (channel === 'ntfy') return c.ntfy.server ? `ntfy:${normalized(c.ntfy.server)}${c.ntfy.user ? ` user ${c.ntfy.user}` : ''}` : '';
  return c.gotify.server ? `gotify:${normalized(c.gotify.server)}` : '';
}

export function channelMovedNote(channel: PushChannelName, c: AlertChannelsSettings): string {
  const where = channel === 'webhook' ? c.webhook.url : channel === 'ntfy' ? `${c.ntfy.server}${c.ntfy.user ? ` (user ${c.ntfy.user})` : ''}` : c.gotify.server;
  const what = channel === 'gotify' ? 'application token' : channel === 'ntfy' && c.ntfy.user ? 'password' : 'token';
  return `the ${CHANNEL_LABELS[channel]} address changed to ${where} since the ${what} was entered, so it was cleared: enter the ${what} for the new address in Settings → Monitor → ${CHANNEL_LABELS[channel]}`;
}
