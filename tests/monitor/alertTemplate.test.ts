import { describe, expect, it } from 'vitest';
import { checkAlertTemplate, DEFAULT_WEBHOOK_TEMPLATE, renderAlertTemplate, type AlertTemplateValues } from '../../shared/contract/alertTemplate';
import { headerText } from '../../electron/domains/monitor/channels/buildPush';
import { decodeRfc2047 } from '../helpers/pushReceiver';

const values: AlertTemplateValues = { title: 'He said "hot"\n}{', message: 'line 1\nline 2 \\ end', level: 'critical', kind: 'fired', rule: 'cpu-temp', host: null, value: 91.5, unit: '°C', at: '2024-01-01T00:00:00.000Z', alertId: 7, studio: 'box' };

describe('the webhook template', () => {
  it('keeps every field inside its JSON string, whatever it contains; a lone placeholder keeps its type', () => {
    const out = JSON.parse(renderAlertTemplate('{"text": "{{ title }}: {{message}}", "v": "{{value}}", "id": "{{alertId}}", "h": "{{host}}", "hs": "on {{host}}", "n": 3, "list": ["{{level}}", true]}', values)) as Record<string, unknown>;
    expect(out).toEqual({ text: 'He said "hot"\n}{: line 1\nline 2 \\ end', v: 91.5, id: 7, h: null, hs: 'on ', n: 3, list: ['critical', true] });
  });

  it('the default template is valid and names every field', () => {
    expect(checkAlertTemplate(DEFAULT_WEBHOOK_TEMPLATE)).toBeNull();
    expect(JSON.parse(renderAlertTemplate(DEFAULT_WEBHOOK_TEMPLATE, values))).toMatchObject({ title: values.title, value: 91.5, studio: 'box' });
  });

  it('refuses what is not JSON, unknown fields and a stray "{{", in words', () => {
    expect(checkAlertTemplate('{"text": {{title}}}')).toMatch(/not valid JSON/);
    expect(checkAlertTemplate('{"text": "{{process.env}}"}')).toMatch(/"\{\{" that opens no placeholder/);
    expect(checkAlertTemplate('{"text": "{{constructor}}"}')).toMatch(/\{\{constructor\}\} is not a field of an alert/);
    expect(checkAlertTemplate('{"text": "{{title}"}')).toMatch(/opens no placeholder/);
    expect(checkAlertTemplate(`${'['.repeat(25)}"x"${']'.repeat(25)}`)).toMatch(/nests deeper/);
  });

  it('a "__proto__" key stays a key (no prototype is touched)', () => {
    const out = renderAlertTemplate('{"__proto__": {"polluted": "{{title}}"}}', values);
    expect(JSON.parse(out)).toEqual(JSON.parse('{"__proto__": {"polluted": "He said \\"hot\\"\\n}{"}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('header values: ASCII as is, anything else as an RFC 2047 word that decodes back', () => {
    expect(headerText('WARNING: disk at 91 %')).toBe('WARNING: disk at 91 %');
    const t = 'CRITICAL: Package id 0 at 95.0 °C — gpu-böx';
    expect(headerText(t)).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(decodeRfc2047(headerText(t))).toBe(t);
    expect(headerText('a\r\nInjected: yes')).toBe('a Injected: yes');
  });
});
