/**
 * The push channels an alert can take besides the desktop and e-mail: a generic webhook (a JSON POST built from
 * a template), ntfy and Gotify. Their tokens live in the secret store, bound to the server they were entered for.
 */
export type PushChannelName = 'webhook' | 'ntfy' | 'gotify';
export const PUSH_CHANNELS: readonly PushChannelName[] = ['webhook', 'ntfy', 'gotify'];

/** A priority picked from the alert's level (critical high, cleared low), or one fixed number. */
export type ChannelPriority = 'by-level' | number;

export interface WebhookChannelSettings {
  enabled: boolean;
  /** http(s) URL the JSON is POSTed to. */
  url: string;
  /** A JSON document whose strings may name the alert's fields as {{field}} (shared/contract/alertTemplate.ts). */
  template: string;
}

export interface NtfyChannelSettings {
  enabled: boolean;
  /** The ntfy server, e.g. https://ntfy.sh or http://ntfy.lan:8080. */
  server: string;
  topic: string;
  /** With a user, the stored secret is that user's password (Basic); without, it is an access token (Bearer). */
  user: string;
  /** 1 (min) … 5 (max), or by level. */
  priority: ChannelPriority;
  /** ntfy tags (emoji short codes show as icons); the alert's level is added. */
  tags: string[];
}

export interface GotifyChannelSettings {
  enabled: boolean;
  /** The Gotify server's base URL, e.g. https://gotify.lan (messages go to <server>/message). */
  server: string;
  /** 0 … 10, or by level. */
  priority: ChannelPriority;
}

export interface AlertChannelsSettings {
  webhook: WebhookChannelSettings;
  ntfy: NtfyChannelSettings;
  gotify: GotifyChannelSettings;
}

/** What Settings shows of a channel's secret: stored or not, and why it was cleared. */
export interface ChannelSecretView {
  set: boolean;
  /** Set when the channel's server changed since the secret was entered: it was cleared, enter it again. */
  note: string | null;
}

export type ChannelSecretsView = Record<PushChannelName, ChannelSecretView>;

export interface ChannelTestResult {
  sent: boolean;
  /** What the server answered, or what went wrong, in one line. */
  message: string;
}
