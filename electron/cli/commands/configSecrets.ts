import type { ContractClient } from '../../../shared/contract/client';
import { ChurchError } from '../../../shared/errors';
import { SECRET_ENV_VARS } from '../../host/hostOptions';

/**
 * The secrets `church config set-secret NAME` stores, each through the contract request its settings screen uses
 * (so it lands in the same store, bound to the same destination). Listed only as set or not set.
 */
export interface ConfigSecret {
  name: string;
  /** As the settings screen labels it. */
  label: string;
  /** The variable a studio without a window reads it from. */
  envVar: string;
  isSet(c: ContractClient): Promise<boolean>;
  /** null removes it. */
  store(c: ContractClient, value: string | null): Promise<void>;
}

export const CONFIG_SECRETS: ConfigSecret[] = [
  {
    name: 'monitor.smtp.password',
    label: 'SMTP password',
    envVar: SECRET_ENV_VARS['smtp-password'],
    isSet: async (c) => (await c.call('monitor.getSettings', {})).smtpPasswordSet,
    store: async (c, password) => void (await c.call('monitor.setSmtpPassword', { password })),
  },
  {
    name: 'monitor.prometheus.token',
    label: 'Prometheus bearer token',
    envVar: SECRET_ENV_VARS['prometheus-token'],
    isSet: async (c) => (await c.call('monitor.getSettings', {})).prometheusTokenSet,
    store: async (c, token) => void (await c.call('monitor.setPrometheusToken', { token })),
  },
  {
    name: 'backup.restic.password',
    label: 'Restic password',
    envVar: SECRET_ENV_VARS['restic-password'],
    isSet: async (c) => (await c.call('backup.getSettings', {})).resticPasswordSet,
    store: async (c, resticPassword) => {
      if (resticPassword === null) throw new ChurchError('INVALID_INPUT', 'the restic password cannot be removed on its own: set another one, or clear backup.restic.repository (the password then no longer goes anywhere)');
      await c.call('backup.setSettings', { resticPassword });
    },
  },
  {
    name: 'lab.password',
    label: 'Redis password',
    envVar: SECRET_ENV_VARS['lab-redis-password'],
    isSet: async (c) => (await c.call('lab.getSettings', {})).passwordSet,
    store: async (c, password) => void (await c.call('lab.setPassword', { password })),
  },
  {
    name: 'stripe.key',
    label: 'Stripe restricted key',
    envVar: SECRET_ENV_VARS['stripe-key'],
    isSet: async (c) => (await c.call('stripe.status', {})).key.present,
    store: async (c, key) => void (key === null ? await c.call('stripe.clearKey', {}) : await c.call('stripe.setKey', { key })),
  },
  {
    name: 'stripe.webhookSecret',
    label: 'Stripe webhook signing secret',
    envVar: SECRET_ENV_VARS['stripe-webhook-secret'],
    isSet: async (c) => (await c.call('stripe.status', {})).webhookSecretSet,
    store: async (c, secret) => void (await c.call('stripe.setWebhookSecret', { secret })),
  },
  ...(
    [
      ['webhook', 'Webhook bearer token', 'alert-webhook-token'],
      ['ntfy', 'ntfy access token (or password)', 'ntfy-token'],
      ['gotify', 'Gotify application token', 'gotify-token'],
    ] as const
  ).map(
    ([channel, label, secretName]): ConfigSecret => ({
      name: `monitor.channels.${channel}.token`,
      label,
      envVar: SECRET_ENV_VARS[secretName],
      isSet: async (c) => (await c.call('monitor.getSettings', {})).channelSecrets[channel].set,
      store: async (c, secret) => void (await c.call('monitor.setChannelSecret', { channel, secret })),
    }),
  ),
];

export function secretNamed(name: string): ConfigSecret | undefined {
  return CONFIG_SECRETS.find((s) => s.name === name);
}

export function unknownSecret(name: string): ChurchError {
  return new ChurchError('INVALID_INPUT', `there is no secret ${name}; the secrets are ${CONFIG_SECRETS.map((s) => s.name).join(', ')}`, { key: name });
}
