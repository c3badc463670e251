import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_MONITOR_SETTINGS, monitorSettingsSchema } from '../../shared/contract/monitor';
import { emptyValue, isEntry, keyOfIssue, listEntries, parseValue, schemaAt, valueAt, withValue } from '../../electron/cli/commands/configKeys';
import { checkSection, CONFIG_SECTIONS } from '../../electron/cli/commands/configSections';

describe('church config keys are read off the settings schemas', () => {
  it('a field added to a schema is a key, with no change in the CLI (an alert channel, say)', () => {
    const withChannel = monitorSettingsSchema.extend({ ntfy: z.object({ enabled: z.boolean(), url: z.string(), priority: z.number().int().min(1).max(5) }).strict() });
    const data = { ...DEFAULT_MONITOR_SETTINGS, ntfy: { enabled: false, url: '', priority: 3 } };
    const keys = listEntries('monitor', withChannel, data).map((e) => e.key);
    expect(keys).toEqual(expect.arrayContaining(['monitor.ntfy.enabled', 'monitor.ntfy.url', 'monitor.ntfy.priority', 'monitor.prometheus.port', 'monitor.rules.cpu-temp.warn']));
    const leaf = schemaAt('monitor', withChannel, ['ntfy', 'priority']);
    const next = withValue(['monitor'], withChannel, data, ['ntfy', 'priority'], parseValue('monitor.ntfy.priority', leaf, '5'));
    expect(valueAt(withChannel, next, ['ntfy', 'priority'])).toBe(5);
    expect(withChannel.safeParse(next).success).toBe(true);
  });

  it('values are typed by the schema: numbers, true/false words, null, comma lists and JSON', () => {
    const s = monitorSettingsSchema;
    expect(parseValue('k', schemaAt('monitor', s, ['smtp', 'port']), '465')).toBe(465);
    expect(parseValue('k', schemaAt('monitor', s, ['smtp', 'enabled']), 'yes')).toBe(true);
    expect(parseValue('k', schemaAt('monitor', s, ['rules', 'cpu-temp', 'warn']), 'null')).toBe(null);
    expect(parseValue('k', schemaAt('monitor', s, ['smtp', 'to']), 'a@b.c, d@e.f')).toEqual(['a@b.c', 'd@e.f']);
    expect(parseValue('k', schemaAt('monitor', s, ['smtp', 'to']), '["a@b.c"]')).toEqual(['a@b.c']);
    expect(() => parseValue('monitor.smtp.port', schemaAt('monitor', s, ['smtp', 'port']), 'many')).toThrow(/monitor.smtp.port takes a number/);
    expect(() => schemaAt('monitor', s, ['smtp', 'nope'])).toThrow(/no setting monitor.smtp.nope; under monitor.smtp there are .*monitor.smtp.port/);
  });

  it('unset empties what may be empty, removes map entries and rules, and refuses the rest', () => {
    const s = monitorSettingsSchema;
    expect(emptyValue('k', schemaAt('monitor', s, ['prometheus', 'bindAddress']))).toBeUndefined();
    expect(emptyValue('k', schemaAt('monitor', s, ['smtp', 'to']))).toEqual([]);
    expect(() => emptyValue('monitor.smtp.port', schemaAt('monitor', s, ['smtp', 'port']))).toThrow(/cannot be left empty/);
    expect(isEntry(s, ['rules', 'gpu-temp'])).toBe(true);
    const without = withValue(['monitor'], s, DEFAULT_MONITOR_SETTINGS, ['rules', 'gpu-temp'], undefined) as typeof DEFAULT_MONITOR_SETTINGS;
    expect(without.rules.map((r) => r.id)).toEqual(['cpu-temp', 'disk-full']);
    expect(() => withValue(['monitor'], s, DEFAULT_MONITOR_SETTINGS, ['rules', 'fan', 'warn'], 1)).toThrow(/no item "fan" in monitor.rules/);
  });

  it('a refusal names the field as the settings screen does, and the key by rule id', () => {
    const monitor = CONFIG_SECTIONS.find((x) => x.name === 'monitor')!;
    expect(() => checkSection(monitor, { ...DEFAULT_MONITOR_SETTINGS, smtp: { ...DEFAULT_MONITOR_SETTINGS.smtp, port: 0 } })).toThrow(
      'SMTP port (monitor.smtp.port): enter a port number from 1 to 65535 (587 for STARTTLS, 465 for TLS).',
    );
    const rules = [{ ...DEFAULT_MONITOR_SETTINGS.rules[0]!, forSec: -1 }];
    expect(keyOfIssue(monitorSettingsSchema, { rules }, ['rules', 0, 'forSec'])).toEqual(['rules', 'cpu-temp', 'forSec']);
    expect(() => checkSection(monitor, { ...DEFAULT_MONITOR_SETTINGS, rules })).toThrow('For (s) (monitor.rules.cpu-temp.forSec): enter seconds from 0 to 86400.');
    const prefs = CONFIG_SECTIONS.find((x) => x.name === 'preferences')!;
    expect(() => checkSection(prefs, { theme: 'blue', density: 'compact', reduceMotion: false })).toThrow(/Theme \(preferences.theme\): .*choose dark, light, system/);
  });
});
