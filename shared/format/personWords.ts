/**
 * Validation errors in a person's words. Main answers a bad input with INVALID_INPUT, a message in the
 * contract's language ("invalid input for library.import: paths.0: must be an absolute path") and the issues
 * (field path + rule) in `details`; those stay as they are for the CLI's --json. What the UI shows instead names
 * the field as the screen names it and says what to do.
 */

export interface ValidationIssue {
  path: string;
  message: string;
}

interface FieldWords {
  /** The field as the UI labels it. */
  label: string;
  /** What to do, when the rule alone does not say it well. */
  todo?: (rule: string) => string | null;
}

const fullPath = (rule: string) =>
  /absolute/i.test(rule) ? 'enter the full path of a folder or file, like /home/you/Videos (on Windows, like C:\\Users\\you\\Videos)' : null;

// Keys are "request:path" with list indices written as *.
const FIELDS: Record<string, FieldWords> = {
  'library.import:paths': { label: 'Folder or file to import', todo: (r) => (/too small|at least/i.test(r) ? 'enter at least one folder or file' : null) },
  'library.import:paths.*': { label: 'Folder or file to import', todo: fullPath },
  'library.update:patch.title': { label: 'Title', todo: (r) => (/too small|at least 1/i.test(r) ? 'a title cannot be empty; type one, or undo the change' : null) },
  'library.update:patch.notes': { label: 'Notes' },
  'library.update:patch.tags.*': { label: 'Tag', todo: () => 'use a short word or phrase (letters, digits, spaces, - and _)' },
  'library.bulkUpdate:addTags.*': { label: 'Tags to add', todo: () => 'use short words or phrases separated by commas' },
  'library.bulkUpdate:removeTags.*': { label: 'Tags to remove', todo: () => 'use short words or phrases separated by commas' },
  'library.createCollection:name': { label: 'Add to collection', todo: () => 'type the name of a collection, at most 200 characters' },
  'monitor.setSettings:settings.smtp.host': { label: 'SMTP host' },
  'monitor.setSettings:settings.smtp.port': { label: 'SMTP port', todo: () => 'enter a port number from 1 to 65535 (587 for STARTTLS, 465 for TLS)' },
  'monitor.setSettings:settings.smtp.from': { label: 'Sender address', todo: () => 'enter an e-mail address like studio@example.com, or leave it empty' },
  'monitor.setSettings:settings.smtp.to.*': { label: 'Recipients', todo: () => 'enter e-mail addresses like you@example.com, separated by commas' },
  'monitor.setSettings:settings.prometheus.port': { label: 'Prometheus port', todo: () => 'enter a port number from 1024 to 65535' },
  'monitor.setSettings:settings.rules.*.id': { label: 'Rule name', todo: () => 'use letters, digits, _ . and - only' },
  'monitor.setSettings:settings.rules.*.forSec': { label: 'For (s)', todo: () => 'enter seconds from 0 to 86400' },
  'monitor.setSettings:settings.rules.*.hysteresis': { label: 'Hysteresis', todo: () => 'enter 0 or a positive number' },
  'monitor.setSettings:settings.rules.*.killSwitchAfterSec': { label: 'Kill switch after (s)', todo: () => 'enter seconds from 0 to 86400, or leave it empty for never' },
  'monitor.setSettings:settings.rules.*.warn': { label: 'Warn at' },
  'monitor.setSettings:settings.rules.*.critical': { label: 'Critical at' },
  'lab.setSettings:settings.redisUrl': { label: 'Redis URL' },
  'lab.setSettings:settings.user': { label: 'ACL user' },
  'lab.setSettings:settings.targets.*': { label: 'node_exporter targets', todo: () => 'enter one URL a line, like http://nas.lan:9100/metrics' },
  'lab.setSettings:settings.scrapeIntervalSec': { label: 'Scrape every (s)', todo: () => 'enter whole seconds from 5 to 3600' },
  'lab.setSettings:settings.scrapeTimeoutSec': { label: 'Scrape timeout (s)', todo: () => 'enter seconds from 1 to 60, not longer than the interval' },
  'lab.setSettings:settings.offlineSec': { label: 'Host offline after (s)', todo: () => 'enter whole seconds from 5 to 86400' },
  'lab.setPassword:password': { label: 'Redis password' },
};

/** "minRating" → "min rating"; the last named segment of a path. */
function fieldFromPath(path: string): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? '';
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'A value';
}

/** zod's rule texts ("Too small: expected number to be >=1") as a person would say them. */
export function ruleWords(rule: string): string {
  const n = /([<>]=?)\s*(-?[\d.]+)/.exec(rule);
  if (/too small/i.test(rule) && /string/.test(rule)) return n ? `needs at least ${n[2]} character${n[2] === '1' ? '' : 's'}` : 'is too short';
  if (/too big/i.test(rule) && /string/.test(rule)) return n ? `can have at most ${n[2]} characters` : 'is too long';
  if (/too small/i.test(rule) && /array|set/.test(rule)) return n ? `needs at least ${n[2]}` : 'needs more entries';
  if (/too big/i.test(rule) && /array|set/.test(rule)) return n ? `can have at most ${n[2]}` : 'has too many entries';
  if (/too small/i.test(rule)) return n ? `must be ${n[1] === '>' ? 'more than' : 'at least'} ${n[2]}` : 'is too small';
  if (/too big/i.test(rule)) return n ? `must be ${n[1] === '<' ? 'less than' : 'at most'} ${n[2]}` : 'is too large';
  if (/received undefined/i.test(rule)) return 'is required';
  if (/expected number/i.test(rule)) return 'must be a number';
  if (/expected int/i.test(rule)) return 'must be a whole number';
  if (/invalid option|expected one of/i.test(rule)) return 'is not one of the choices; pick one from the list';
  return rule.replace(/^Invalid input:\s*/i, '');
}

/**
 * One sentence for the first issue: "Folder or file to import: enter the full path of a folder or file, like
 * /home/you/Videos". Null when there is nothing to translate (then the message from main is shown).
 */
export function personMessage(request: string, issues: unknown): string | null {
  if (!Array.isArray(issues) || issues.length === 0) return null;
  const first = issues[0] as Partial<ValidationIssue>;
  if (typeof first?.path !== 'string' || typeof first.message !== 'string') return null;
  const key = `${request}:${first.path.replace(/\.\d+(?=\.|$)/g, '.*')}`;
  const words = FIELDS[key];
  const label = words?.label ?? fieldFromPath(first.path);
  const todo = words?.todo?.(first.message) ?? null;
  const sentence = todo ?? ruleWords(first.message);
  return `${label}: ${sentence}${issues.length > 1 ? ` (and ${issues.length - 1} more to fix)` : ''}.`;
}
