import { z } from 'zod';
import { isIP } from './ip';
import { OWNER, OWNER_AND_MCP, event, request } from './define';
import { alertChannelsSchema, DEFAULT_ALERT_CHANNELS, pushChannelName } from './alertChannels';
import type { ChannelTestResult } from '../dto/alertChannels';
import {
  ANY_HOST,
  METRIC_FAMILIES,
  type AlertRecord,
  type HostSampleEvent,
  type MonitorHost,
  type MetricFamily,
  type MonitorAlertEvent,
  type MonitorHistory,
  type MonitorRule,
  type MonitorSample,
  type MonitorSettingsData,
  type MonitorSettingsView,
} from '../dto/monitor';

/** A lab host's name as its agent announces it (church agent --name). */
export const labHostName = z.string().regex(/^[\w.-]{1,64}$/, 'a lab host name: letters, digits, ".", "_" and "-"');

const level = z.number().min(-1e12).max(1e15).nullable();

export const monitorRuleSchema = z
  .object({
    id: z.string().min(1).max(64).regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
    enabled: z.boolean(),
    family: z.enum(METRIC_FAMILIES as readonly MetricFamily[] as [MetricFamily, ...MetricFamily[]]),
    match: z.string().max(200),
    warn: level,
    critical: level,
    forSec: z.number().min(0).max(86_400),
    hysteresis: z.number().min(0).max(1e12),
    killSwitchAfterSec: z.number().min(0).max(86_400).nullable(),
    aggregate: z.enum(['max', 'each']).optional(),
    pauseJobs: z.boolean().optional(),
    host: z.union([z.literal(ANY_HOST), labHostName]).optional(),
  })
  .strict()
  .refine((r) => r.warn !== null || r.critical !== null, { message: 'a rule needs a warning level, a critical level or both' })
  .refine((r) => r.warn === null || r.critical === null || r.critical >= r.warn, { message: 'the critical level must be at or above the warning level' })
  .refine((r) => r.killSwitchAfterSec === null || r.critical !== null, { message: 'the kill-switch action needs a critical level' })
  .refine((r) => !r.pauseJobs || r.critical !== null, { message: 'pausing the job queue needs a critical level' });

const email = z.string().max(254).regex(/^[^\s@<>,;]+@[^\s@<>,;]+$/, 'an e-mail address like owner@example.com');

export const smtpSettingsSchema = z
  .object({
    enabled: z.boolean(),
    host: z.string().max(253),
    port: z.number().int().min(1).max(65_535),
    secure: z.boolean(),
    user: z.string().max(254),
    allowPlainAuth: z.boolean().optional(),
    from: z.union([email, z.literal('')]),
    to: z.array(email).max(20),
  })
  .strict()
  .refine((s) => !s.enabled || (s.host.length > 0 && s.from.length > 0 && s.to.length > 0), {
    message: 'to send e-mail, fill in the SMTP host, the sender and at least one recipient',
  });

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'a host name like studio.lan (letters, digits, dots, dashes)');

export const prometheusSettingsSchema = z
  .object({
    enabled: z.boolean(),
    port: z.number().int().min(1024).max(65_535),
    bindAddress: z
      .string()
      .max(64)
      .refine((a) => isIP(a) !== 0, { message: 'an IP address of this machine, like 127.0.0.1, 192.168.1.20 or 0.0.0.0 for every interface' })
      .optional(),
    hostNames: z.array(hostName).max(20).optional(),
  })
  .strict();

export const monitorSettingsSchema = z
  .object({
    intervalMs: z.number().int().min(250).max(60_000),
    desktopNotifications: z.boolean(),
    rules: z
      .array(monitorRuleSchema)
      .max(100)
      .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, { message: 'rule ids must be unique' }),
    smtp: smtpSettingsSchema,
    prometheus: prometheusSettingsSchema,
    /** Webhook, ntfy and Gotify (shared/contract/alertChannels.ts). */
    channels: alertChannelsSchema,
  })
  .strict();

export const DEFAULT_MONITOR_RULES: MonitorRule[] = [
  { id: 'cpu-temp', enabled: true, family: 'cpu.temp', match: '', warn: 80, critical: 90, forSec: 10, hysteresis: 3, killSwitchAfterSec: null, aggregate: 'max' },
  { id: 'gpu-temp', enabled: true, family: 'gpu.temp', match: '', warn: 80, critical: 90, forSec: 10, hysteresis: 3, killSwitchAfterSec: null, aggregate: 'max' },
  { id: 'disk-full', enabled: true, family: 'disk.used_pct', match: '', warn: 90, critical: 97, forSec: 60, hysteresis: 1, killSwitchAfterSec: null, aggregate: 'each' },
];

export const DEFAULT_MONITOR_SETTINGS: MonitorSettingsData = {
  intervalMs: 1000,
  desktopNotifications: true,
  rules: DEFAULT_MONITOR_RULES,
  smtp: { enabled: false, host: '', port: 587, secure: false, user: '', allowPlainAuth: false, from: '', to: [] },
  prometheus: { enabled: false, port: 9101 },
  channels: DEFAULT_ALERT_CHANNELS,
};

export const monitorRequests = {
  'monitor.current': request<MonitorSample>()({
    actors: OWNER_AND_MCP,
    input: z.object({ host: labHostName.optional() }).strict(),
    description: 'The newest hardware sample of this machine (taken now when this process is not sampling), or of a lab host by name.',
  }),
  'monitor.hosts': request<MonitorHost[]>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'This machine and every lab host that reported samples: state, last seen and the overview figures (temperatures, load, memory, disk).',
  }),
  'monitor.history': request<MonitorHistory>()({
    actors: OWNER,
    input: z
      .object({
        series: z.array(z.string().min(1).max(300)).min(1).max(64),
        rangeSec: z.number().int().min(10).max(30 * 86_400),
        host: labHostName.optional(),
      })
      .strict(),
    description: 'Values of some series over the last rangeSec seconds: every sample up to an hour, minute averages beyond (30 days); a lab host (host) keeps its last hour of samples only.',
  }),
  'monitor.alerts': request<AlertRecord[]>()({
    actors: OWNER_AND_MCP,
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    description: 'Alert history, newest first (open episodes have clearedAt null).',
  }),
  'monitor.getSettings': request<MonitorSettingsView>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Sample interval, alert rules, SMTP and Prometheus settings (the SMTP password only as set/not set).',
  }),
  'monitor.setSettings': request<MonitorSettingsView>()({
    actors: OWNER,
    input: z.object({ settings: monitorSettingsSchema }).strict(),
    description: 'Replaces the monitor settings; the sampler and the Prometheus endpoint follow at once.',
    mutates: true,
  }),
  'monitor.setSmtpPassword': request<MonitorSettingsView>()({
    actors: OWNER,
    input: z.object({ password: z.string().max(1000).nullable() }).strict(),
    description: 'Stores the SMTP password in the secret store (null removes it).',
    mutates: true,
  }),
  'monitor.setPrometheusToken': request<MonitorSettingsView>()({
    actors: OWNER,
    input: z
      .object({
        token: z
          .string()
          .min(16, 'at least 16 characters (e.g. the output of `openssl rand -hex 32`)')
          .max(512)
          .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces')
          .nullable(),
      })
      .strict(),
    description: 'Stores the bearer token scrapes from other machines must send (null removes it).',
    mutates: true,
  }),
  'monitor.testEmail': request<{ sent: boolean; message: string }>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Sends a test e-mail with the saved SMTP settings and says what the server answered.',
    mutates: true,
  }),
  'monitor.setChannelSecret': request<MonitorSettingsView>()({
    actors: OWNER,
    input: z
      .object({
        channel: pushChannelName,
        secret: z.string().min(1).max(1000).regex(/^[^\r\n]+$/, 'one line, without line breaks').nullable(),
      })
      .strict(),
    description:
      'Stores a push channel\'s secret in the secret store, bound to the saved server (webhook: a bearer token; ntfy: an access token, or the user\'s password; Gotify: the application token); null removes it.',
    mutates: true,
  }),
  'monitor.testChannel': request<ChannelTestResult>()({
    actors: OWNER,
    input: z.object({ channel: pushChannelName }).strict(),
    description: 'Sends a test alert through one push channel (webhook, ntfy or Gotify) with the saved settings and says what the server answered.',
    mutates: true,
  }),
};

export const monitorEvents = {
  'monitor.sample': event<MonitorSample>('A new hardware sample (every interval, from the primary process).'),
  'monitor.hostSample': event<HostSampleEvent>('A lab host\'s sample reached the studio (its agent publishes one every couple of seconds).'),
  'monitor.alert': event<MonitorAlertEvent>('An alert fired, escalated or cleared, or a broadcast (the desktop shell shows it as a notification).'),
};
