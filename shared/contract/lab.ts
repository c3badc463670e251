import { z } from 'zod';
import { OWNER, OWNER_AND_MCP, request } from './define';
import type { LabSettings, LabSettingsView, LabStatus } from '../dto/lab';

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'a node_exporter URL like http://nas.lan:9100/metrics')
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), 'a URL without a user or password in it (targets are shown on screen and kept as plain settings)');

export const labSettingsSchema = z
  .object({
    enabled: z.boolean(),
    redisUrl: z
      .string()
      .trim()
      .max(500)
      .refine((u) => u === '' || (URL.canParse(u) && /^rediss?:$/.test(new URL(u).protocol)), 'a Redis URL like redis://nas.lan:6379')
      .refine((u) => u === '' || !new URL(u).password, 'put the password in the Password field, not in the URL'),
    user: z.string().trim().max(100).regex(/^[^\s:@]*$/, 'a Redis ACL user name without spaces, ":" or "@"'),
    tls: z.boolean(),
    caFile: z.string().trim().max(1000),
    secretFile: z.string().trim().max(1000),
    targets: z.array(httpUrl).max(100),
    scrapeIntervalSec: z.number().int().min(5).max(3600),
    scrapeTimeoutSec: z.number().min(1).max(60),
    offlineSec: z.number().int().min(5).max(86_400),
  })
  .strict()
  .refine((s) => !s.enabled || (s.redisUrl !== '' && s.secretFile !== ''), { message: 'to turn the lab on, fill in the Redis URL and the lab secret file' })
  .refine((s) => s.scrapeTimeoutSec <= s.scrapeIntervalSec, { message: 'the scrape timeout must not be longer than the scrape interval' }) satisfies z.ZodType<LabSettings>;

export const labRequests = {
  'lab.status': request<LabStatus>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'The lab: every agent with its state, encoders, load and running jobs, and the queue. configured false without a lab.',
  }),
  'lab.pauseAgent': request<{ sent: true }>()({
    actors: OWNER,
    input: z.object({ name: z.string().regex(/^[\w.-]{1,64}$/), paused: z.boolean() }).strict(),
    description: 'Pauses (takes no new work) or resumes one agent; its running encode finishes.',
    mutates: true,
  }),
  'lab.getSettings': request<LabSettingsView>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The lab settings (Redis, TLS, secret file, node_exporter targets, offline time); the Redis password only as set/not set.',
  }),
  'lab.setSettings': request<LabSettingsView>()({
    actors: OWNER,
    input: z.object({ settings: labSettingsSchema }).strict(),
    description: 'Saves the lab settings; node_exporter targets follow at once, the Redis connection at the next start or with lab.apply.',
    mutates: true,
  }),
  'lab.apply': request<LabSettingsView>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description:
      'Applies the saved Redis settings now (the window and serve): the studio closes its services and opens them again on the lab as saved, or without one; running jobs stop as at a quit and are queued again (unless the job recovery setting is "leave"). A command run on its own already uses the saved settings.',
    mutates: true,
  }),
  'lab.setPassword': request<LabSettingsView>()({
    actors: OWNER,
    input: z.object({ password: z.string().min(1).max(1000).nullable() }).strict(),
    description: 'Stores the Redis password in the secret store (null removes it).',
    mutates: true,
  }),
};
