import { PUSH_CHANNELS, type AlertChannelsSettings, type ChannelSecretsView, type PushChannelName } from '../../../shared/dto/alertChannels';
import type { MonitorSettingsData, PrometheusSettings, SmtpSettings } from '../../../shared/dto/monitor';
import { SecretBindings, type BoundSecret, type SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';
import { PROMETHEUS_TOKEN_SECRET, SMTP_SECRET } from './monitorSettings';
import { CHANNEL_SECRETS, channelDestination, channelMovedNote } from './channels/channelSecrets';

/**
 * Where the SMTP password goes: the server, and whether it may travel in clear (a plain login is a wider
 * destination than the same server over TLS). '' while no server is set.
 */
export function smtpDestination(s: SmtpSettings): string {
  if (!s.host) return '';
  const plain = !s.secure && s.allowPlainAuth === true ? ' plain' : '';
  return `smtp://${s.host.toLowerCase()}:${s.port}${plain}`;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/**
 * Who the scrape token opens the endpoint to: the bind address. On loopback the token is not asked for, so a
 * token entered then binds to the first address off this machine the endpoint opens on.
 */
export function prometheusDestination(p: PrometheusSettings): string {
  const bind = p.bindAddress ?? '127.0.0.1';
  return LOOPBACK.test(bind) ? '' : `bind:${bind}`;
}

/** What the Monitor settings view says about its two secrets. */
export interface MonitorSecretsView {
  smtpPasswordSet: boolean;
  smtpPasswordNote: string | null;
  prometheusTokenSet: boolean;
  prometheusTokenNote: string | null;
}

/** The words for an SMTP password left behind by a change of server. */
export function smtpMovedNote(s: SmtpSettings): string {
  return `the SMTP server changed to ${s.host}:${s.port}${s.allowPlainAuth && !s.secure ? ' (plain login)' : ''} since the password was entered, so it was cleared: enter the password for the new server in Settings → Monitor → E-mail`;
}

/** The monitor's secrets, each bound to its destination (docs/security.md, "Secrets bound to their destination"). */
export class MonitorSecrets {
  private readonly bindings: SecretBindings;
  constructor(secrets: SecretStore, settings: SettingsStore) {
    this.bindings = new SecretBindings(secrets, settings);
  }

  smtpPassword(s: SmtpSettings): BoundSecret {
    return this.bindings.read(SMTP_SECRET, smtpDestination(s));
  }

  prometheusToken(p: PrometheusSettings): string | null {
    return this.bindings.read(PROMETHEUS_TOKEN_SECRET, prometheusDestination(p)).value;
  }

  setSmtpPassword(s: SmtpSettings, password: string | null): void {
    this.bindings.store(SMTP_SECRET, smtpDestination(s), password);
  }

  setPrometheusToken(p: PrometheusSettings, token: string | null): void {
    this.bindings.store(PROMETHEUS_TOKEN_SECRET, prometheusDestination(p), token);
  }

  /** A push channel's token or password, when it was entered for the channel's saved server. */
  channelSecret(channel: PushChannelName, c: AlertChannelsSettings): BoundSecret {
    return this.bindings.read(CHANNEL_SECRETS[channel], channelDestination(channel, c));
  }

  setChannelSecret(channel: PushChannelName, c: AlertChannelsSettings, secret: string | null): void {
    this.bindings.store(CHANNEL_SECRETS[channel], channelDestination(channel, c), secret);
  }

  channelsView(c: AlertChannelsSettings): ChannelSecretsView {
    const view = {} as ChannelSecretsView;
    for (const ch of PUSH_CHANNELS) {
      const s = this.channelSecret(ch, c);
      view[ch] = { set: s.state === 'set', note: s.state === 'moved' ? channelMovedNote(ch, c) : null };
    }
    return view;
  }

  /** Settings move from `prev` to `next`: a secret whose destination changed is cleared. */
  follow(prev: MonitorSettingsData, next: MonitorSettingsData): void {
    this.bindings.follow(SMTP_SECRET, smtpDestination(prev.smtp), smtpDestination(next.smtp));
    this.bindings.follow(PROMETHEUS_TOKEN_SECRET, prometheusDestination(prev.prometheus), prometheusDestination(next.prometheus));
    for (const ch of PUSH_CHANNELS) this.bindings.follow(CHANNEL_SECRETS[ch], channelDestination(ch, prev.channels), channelDestination(ch, next.channels));
  }

  view(data: MonitorSettingsData): MonitorSecretsView {
    const smtp = this.smtpPassword(data.smtp);
    const token = this.bindings.read(PROMETHEUS_TOKEN_SECRET, prometheusDestination(data.prometheus));
    return {
      smtpPasswordSet: smtp.state === 'set',
      smtpPasswordNote: smtp.state === 'moved' ? smtpMovedNote(data.smtp) : null,
      prometheusTokenSet: token.state === 'set',
      prometheusTokenNote:
        token.state === 'moved'
          ? `the Prometheus endpoint moved to ${data.prometheus.bindAddress ?? '127.0.0.1'} since the bearer token was entered, so it was cleared: enter a token for the new address (Settings → Monitor → Prometheus → Bearer token)`
          : null,
    };
  }
}
