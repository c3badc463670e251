import { PUSH_CHANNELS, type AlertChannelsSettings, type PushChannelName } from '../../../../shared/dto/alertChannels';
import type { BoundSecret } from '../../../platform/secrets';
import { buildGotifyRequest, buildNtfyRequest, buildWebhookRequest, type PushAlert } from './buildPush';
import { CHANNEL_LABELS, channelMovedNote } from './channelSecrets';
import { sendPush, type PushResult } from './sendPush';

/** A push gives up after this long, so a hung server costs one alert's delivery line at most. */
export const PUSH_TIMEOUT_MS = 10_000;

export interface PushDeps {
  channels(): AlertChannelsSettings;
  secret(channel: PushChannelName): BoundSecret;
  timeoutMs?: number;
}

/** Sends one alert through one channel (enabled or not: the test button uses it too). Never throws. */
export async function pushTo(channel: PushChannelName, alert: PushAlert, deps: PushDeps): Promise<PushResult> {
  const c = deps.channels();
  const label = CHANNEL_LABELS[channel];
  const secret = deps.secret(channel);
  // A token entered for another server is never sent to this one: the owner enters it again.
  if (secret.state === 'moved') return { sent: false, message: `${label} not sent: ${channelMovedNote(channel, c)}` };
  const timeout = deps.timeoutMs ?? PUSH_TIMEOUT_MS;
  try {
    if (channel === 'ntfy') return await sendPush(label, buildNtfyRequest(c.ntfy, alert, secret.value), timeout);
    if (channel === 'webhook') return await sendPush(label, buildWebhookRequest(c.webhook, alert, secret.value), timeout);
    if (!secret.value) return { sent: false, message: 'Gotify not sent: no application token is stored; create an application in Gotify and store its token in Settings → Monitor → Gotify' };
    return await sendPush(label, buildGotifyRequest(c.gotify, alert, secret.value), timeout);
  } catch (e) {
    // A builder's refusal (a template saved by hand that no longer checks out, an address that is not a URL).
    return { sent: false, message: `${label} not sent: ${(e as Error).message}` };
  }
}

/** Every enabled channel at once: one slow or failing server delays or stops none of the others. */
export async function pushToEnabled(alert: PushAlert, deps: PushDeps): Promise<{ channel: PushChannelName; result: PushResult }[]> {
  const c = deps.channels();
  const enabled = PUSH_CHANNELS.filter((ch) => c[ch].enabled);
  return Promise.all(enabled.map(async (channel) => ({ channel, result: await pushTo(channel, alert, deps) })));
}
