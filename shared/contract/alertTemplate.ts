/**
 * The webhook channel's template: a JSON document whose strings may name the alert's fields as `{{field}}`.
 * Nothing is evaluated: each placeholder is looked up in a fixed table of fields and the result is built as a
 * JSON value and serialised, so a title with quotes or newlines can never break out of its string. A string
 * that is exactly one placeholder takes the field's own type (`"{{value}}"` → 91.5, or null); elsewhere a field
 * is spliced in as text (null as nothing).
 */
export const ALERT_TEMPLATE_FIELDS = ['title', 'message', 'level', 'kind', 'rule', 'host', 'value', 'unit', 'at', 'alertId', 'studio'] as const;
export type AlertTemplateField = (typeof ALERT_TEMPLATE_FIELDS)[number];
export type AlertTemplateValues = Record<AlertTemplateField, string | number | null>;

export const DEFAULT_WEBHOOK_TEMPLATE = JSON.stringify(
  { title: '{{title}}', message: '{{message}}', level: '{{level}}', kind: '{{kind}}', rule: '{{rule}}', host: '{{host}}', value: '{{value}}', unit: '{{unit}}', at: '{{at}}', studio: '{{studio}}' },
  null,
  2,
);

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z]+)\s*\}\}$/;
const MAX_DEPTH = 20;
const FIELDS = new Set<string>(ALERT_TEMPLATE_FIELDS);

/** Why `text` is not a usable template, in the Settings field's words; null when it is one. */
export function checkAlertTemplate(text: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `the template is not valid JSON (${(e as Error).message}); write a JSON document such as {"text": "{{title}}: {{message}}"}`;
  }
  const problems: string[] = [];
  walk(doc, 0, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) if (!FIELDS.has(m[1]!)) problems.push(`{{${m[1]}}} is not a field of an alert (use ${ALERT_TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')})`);
    if (s.replace(PLACEHOLDER, '').includes('{{')) problems.push(`"${s.slice(0, 60)}" has a "{{" that opens no placeholder: write {{field}} with one of ${ALERT_TEMPLATE_FIELDS.join(', ')}`);
    return s;
  }, () => problems.push(`the template nests deeper than ${MAX_DEPTH} levels`));
  return problems[0] ?? null;
}

/** The template filled with one alert's fields, as the JSON text to POST. Throws on a template that fails checkAlertTemplate. */
export function renderAlertTemplate(text: string, values: AlertTemplateValues): string {
  const problem = checkAlertTemplate(text);
  if (problem) throw new Error(problem);
  const lookup = (name: string) => values[name as AlertTemplateField] ?? null;
  const filled = walk(JSON.parse(text) as unknown, 0, (s) => {
    const whole = WHOLE.exec(s);
    if (whole) return lookup(whole[1]!);
    return s.replace(PLACEHOLDER, (_m, name: string) => String(lookup(name) ?? ''));
  }, () => undefined);
  return JSON.stringify(filled);
}

/** Maps every string value (not keys) of a JSON document; `tooDeep` is told once past MAX_DEPTH. */
function walk(v: unknown, depth: number, onString: (s: string) => unknown, tooDeep: () => void): unknown {
  if (depth > MAX_DEPTH) {
    tooDeep();
    return null;
  }
  if (typeof v === 'string') return onString(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, onString, tooDeep));
  if (v && typeof v === 'object') {
    // No prototype: a "__proto__" key in the owner's JSON stays a plain key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1, onString, tooDeep);
    return out;
  }
  return v;
}
