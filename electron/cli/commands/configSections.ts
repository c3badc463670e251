import type { z } from 'zod';
import type { ContractClient } from '../../../shared/contract/client';
import type { StudioClient } from '../command';
import { avatarRequests, overlaySettingsPatch } from '../../../shared/contract/avatar';
import { backupSettingsSchema } from '../../../shared/contract/backup';
import { jobsRequests } from '../../../shared/contract/jobs';
import { labSettingsSchema } from '../../../shared/contract/lab';
import { mcpConfigSchema } from '../../../shared/contract/mcp';
import { monitorSettingsSchema } from '../../../shared/contract/monitor';
import { stripeSettingsSchema } from '../../../shared/contract/stripe';
import { preferencesSchema } from '../../../shared/contract/system';
import type { RequestName } from '../../../shared/contract';
import { ChurchError } from '../../../shared/errors';
import { fitToSchema, keyOfIssue } from './configKeys';
import { personMessage } from '../../../shared/format/personWords';

export type SectionData = Record<string, unknown>;

/**
 * One group of settings as the contract reads and writes it: the schema its values follow, the request that
 * saves it (whose field words the UI uses) and where the values sit in that request's input.
 */
export interface ConfigSection {
  /** The first part of its keys (`monitor` in `monitor.prometheus.enabled`). */
  name: string;
  /** What the settings screen calls it, for `church config list`. */
  title: string;
  schema: z.ZodType;
  /** The request that saves it, and the path of the values in its input ('settings.' or ''). */
  saveRequest: RequestName;
  inputPath: string;
  read(c: ContractClient): Promise<SectionData>;
  write(c: ContractClient, data: SectionData): Promise<void>;
}

/** The fields of a view that are settings (the schema's), without what the view adds (passwordSet, notes, urls). */
const pick = (schema: z.ZodType, view: object): SectionData => fitToSchema(schema, view) as SectionData;

// The casts below hand a section's data, already checked against its schema, to the request that takes it.
export const CONFIG_SECTIONS: ConfigSection[] = [
  {
    name: 'monitor',
    title: 'Monitor: sampling, alert rules, e-mail and Prometheus',
    schema: monitorSettingsSchema,
    saveRequest: 'monitor.setSettings',
    inputPath: 'settings.',
    read: async (c) => pick(monitorSettingsSchema, await c.call('monitor.getSettings', {})),
    write: async (c, data) => void (await c.call('monitor.setSettings', { settings: data as z.input<typeof monitorSettingsSchema> })),
  },
  {
    name: 'backup',
    title: 'Backups and restic',
    schema: backupSettingsSchema,
    saveRequest: 'backup.setSettings',
    inputPath: '',
    read: async (c) => pick(backupSettingsSchema, await c.call('backup.getSettings', {})),
    write: async (c, data) => void (await c.call('backup.setSettings', data as z.input<typeof backupSettingsSchema>)),
  },
  {
    name: 'lab',
    title: 'Lab: Redis, agents and node_exporter targets',
    schema: labSettingsSchema,
    saveRequest: 'lab.setSettings',
    inputPath: 'settings.',
    read: async (c) => ({ ...(await c.call('lab.getSettings', {})).settings }),
    write: async (c, data) => void (await c.call('lab.setSettings', { settings: data as z.input<typeof labSettingsSchema> })),
  },
  {
    name: 'jobs',
    title: 'Jobs: concurrency, crash recovery, full disks',
    schema: jobsRequests['jobs.setSettings'].input,
    saveRequest: 'jobs.setSettings',
    inputPath: '',
    read: async (c) => pick(jobsRequests['jobs.setSettings'].input, await c.call('jobs.getSettings', {})),
    write: async (c, data) => void (await c.call('jobs.setSettings', data)),
  },
  {
    name: 'stripe',
    title: 'Stripe (the key and webhook secret: church config set-secret)',
    schema: stripeSettingsSchema,
    saveRequest: 'stripe.setSettings',
    inputPath: '',
    read: async (c) => ({ ...(await c.call('stripe.status', {})).settings }),
    write: async (c, data) => void (await c.call('stripe.setSettings', data)),
  },
  {
    name: 'preferences',
    title: 'Appearance: theme, density, motion',
    schema: preferencesSchema,
    saveRequest: 'preferences.set',
    inputPath: '',
    read: async (c) => ({ ...(await c.call('preferences.get', {})) }),
    write: async (c, data) => void (await c.call('preferences.set', data)),
  },
  {
    name: 'avatar',
    title: 'Avatar overlay: corner, size, opacity, source',
    schema: avatarRequests['avatar.setSettings'].input,
    saveRequest: 'avatar.setSettings',
    inputPath: '',
    read: async (c) => pick(overlaySettingsPatch, await c.call('avatar.getSettings', {})),
    write: async (c, data) => void (await c.call('avatar.setSettings', data)),
  },
  {
    name: 'mcp',
    title: 'MCP: tool calls per minute',
    schema: mcpConfigSchema,
    saveRequest: 'mcp.setConfig',
    inputPath: '',
    read: async (c) => ({ ...(await c.call('mcp.getConfig', {})) }),
    write: async (c, data) => void (await c.call('mcp.setConfig', data as z.input<typeof mcpConfigSchema>)),
  },
];

/** The section a key starts with, and the rest of the key. */
export function sectionOf(key: string): { section: ConfigSection; path: string[] } {
  const [name, ...path] = key.split('.');
  const section = CONFIG_SECTIONS.find((s) => s.name === name);
  if (!section) throw new ChurchError('INVALID_INPUT', `there is no setting ${key}: keys start with ${CONFIG_SECTIONS.map((s) => s.name).join(', ')} ("church config list" shows them all)`, { key });
  return { section, path };
}

/**
 * Checks a whole section against its schema, as the save request will: a refusal names the field as the settings
 * screen does ("SMTP port: enter a port number from 1 to 65535 …"), with the field's path for --json.
 */
export function checkSection(section: ConfigSection, data: unknown): SectionData {
  const parsed = section.schema.safeParse(data);
  if (parsed.success) return data as SectionData;
  const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: `${section.inputPath}${i.path.map(String).join('.')}`, message: i.message }));
  const first = parsed.error.issues[0];
  const key = [section.name, ...keyOfIssue(section.schema, data, first?.path ?? [])].join('.');
  const words = personMessage(section.saveRequest, issues);
  // "SMTP port (monitor.smtp.port): enter a port number …": the screen's label, then the key to type.
  const choices = first && 'values' in first && Array.isArray(first.values) ? first.values.map(String) : null;
  const said = words ? words.replace(': ', ` (${key}): `) : `${key}: ${first?.message ?? 'refused'}`;
  // The screen shows the choices in a list; here they are named.
  const message = choices ? said.replace(/pick one from the list\.?$/, `choose ${choices.join(', ')}.`) : said;
  throw new ChurchError('INVALID_INPUT', message, { key, issues });
}

/** Where a change went: the running studio applies it now; otherwise it is in the database for the next start. */
export const appliedWhere = (client: StudioClient): string => (client.remote ? 'applied to the running studio' : 'saved; the studio uses it when it starts');
