import { z } from 'zod';
import type { AlertChannelsSettings } from '../dto/alertChannels';
import { checkAlertTemplate, DEFAULT_WEBHOOK_TEMPLATE } from './alertTemplate';

/** An http(s) URL without a user or password in it (those go in the secret store). */
function httpUrl(what: string) {
  return z
    .string()
    .max(2000)
    .refine(
      (u) => {
        if (u === '') return true;
        try {
          const url = new URL(u);
          return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
        } catch {
          return false;
        }
      },
      { message: `${what}: an http:// or https:// address without a user or password in it (the token goes in the secret store)` },
    );
}

const byLevel = z.literal('by-level');

export const webhookChannelSchema = z
  .object({
    enabled: z.boolean(),
    url: httpUrl('the webhook URL'),
    template: z.string().max(8000).superRefine((t, ctx) => {
      const problem = checkAlertTemplate(t);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  })
  .strict()
  .refine((w) => !w.enabled || w.url !== '', { message: 'to send alerts to a webhook, fill in its URL' });

export const ntfyChannelSchema = z
  .object({
    enabled: z.boolean(),
    server: httpUrl('the ntfy server'),
    topic: z.string().max(64).regex(/^[-_A-Za-z0-9]*$/, 'an ntfy topic: letters, digits, "-" and "_" (at most 64)'),
    user: z.string().max(128).regex(/^[^:\s]*$/, 'a user name without ":" or spaces'),
    priority: z.union([byLevel, z.number().int().min(1, 'ntfy priorities go from 1 (min) to 5 (max)').max(5, 'ntfy priorities go from 1 (min) to 5 (max)')]),
    tags: z.array(z.string().min(1).max(64).regex(/^[^,\s]+$/, 'a tag without commas or spaces')).max(10),
  })
  .strict()
  .refine((n) => !n.enabled || (n.server !== '' && n.topic !== ''), { message: 'to send alerts to ntfy, fill in the server and the topic' });

export const gotifyChannelSchema = z
  .object({
    enabled: z.boolean(),
    server: httpUrl('the Gotify server'),
    priority: z.union([byLevel, z.number().int().min(0, 'Gotify priorities go from 0 to 10').max(10, 'Gotify priorities go from 0 to 10')]),
  })
  .strict()
  .refine((g) => !g.enabled || g.server !== '', { message: 'to send alerts to Gotify, fill in the server' });

export const DEFAULT_ALERT_CHANNELS: AlertChannelsSettings = {
  webhook: { enabled: false, url: '', template: DEFAULT_WEBHOOK_TEMPLATE },
  ntfy: { enabled: false, server: 'https://ntfy.sh', topic: '', user: '', priority: 'by-level', tags: [] },
  gotify: { enabled: false, server: '', priority: 'by-level' },
};

/** Settings saved before the channels existed read as all off. */
export const alertChannelsSchema = z
  .object({ webhook: webhookChannelSchema, ntfy: ntfyChannelSchema, gotify: gotifyChannelSchema })
  .strict()
  .default(DEFAULT_ALERT_CHANNELS);

export const pushChannelName = z.enum(['webhook', 'ntfy', 'gotify']);
