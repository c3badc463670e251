import { hostname } from 'node:os';
import type { GotifyChannelSettings, NtfyChannelSettings, WebhookChannelSettings } from '../../../../shared/dto/alertChannels';
import type { AlertLevel, MonitorAlertEvent } from '../../../../shared/dto/monitor';
import { renderAlertTemplate, type AlertTemplateValues } from '../../../../shared/contract/alertTemplate';
import type { PushRequest } from './sendPush';

/** One alert as every push channel sees it: the desktop event plus what it is about. */
export interface PushAlert {
  kind: MonitorAlertEvent['kind'];
  level: AlertLevel | 'info';
  title: string;
  body: string;
  at: number;
  alertId: number | null;
  rule: string | null;
  host: string | null;
  value: number | null;
  unit: string | null;
}

const USER_AGENT = 'BambiSleep-Church-Studio';

/** `base` + `path`, keeping a path the server sits under (a reverse proxy's /ntfy/). */
export function joinUrl(base: string, path: string): string {
  return new URL(path, base.endsWith('/') ? base : `${base}/`).href;
}

/**
 * An HTTP header value: ASCII as is; anything else (°C, an em dash, a host name with umlauts) as an RFC 2047
 * encoded word, which ntfy decodes (a header is Latin-1 on the wire, so UTF-8 sent raw arrives garbled).
 */
export function headerText(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : `=?UTF-8?B?${Buffer.from(oneLine, 'utf8').toString('base64')}?=`;
}

/** 1 (min) … 5 (max): a critical alert is urgent, a cleared one quiet. */
export function ntfyPriority(alert: PushAlert, fixed: NtfyChannelSettings['priority']): number {
  if (fixed !== 'by-level') return fixed;
  if (alert.kind === 'cleared') return 2;
  return alert.level === 'critical' ? 5 : alert.level === 'warn' ? 4 : 3;
}

/** 0 … 10 as Gotify's clients read it (8 and up: intrusive; 4–7 normal; 1–3 quiet). */
export function gotifyPriority(alert: PushAlert, fixed: GotifyChannelSettings['priority']): number {
  if (fixed !== 'by-level') return fixed;
  if (alert.kind === 'cleared') return 2;
  return alert.level === 'critical' ? 8 : alert.level === 'warn' ? 5 : 4;
}

/** ntfy shows a tag that names an emoji as that emoji in front of the title. */
function levelTag(alert: PushAlert): string {
  if (alert.kind === 'cleared') return 'white_check_mark';
  return alert.level === 'critical' ? 'rotating_light' : alert.level === 'warn' ? 'warning' : 'information_source';
}

/** ntfy: POST <server>/<topic>, the message as the body, Title/Priority/Tags headers, a token or a password. */
export function buildNtfyRequest(s: NtfyChannelSettings, alert: PushAlert, secret: string | null): PushRequest {
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'User-Agent': USER_AGENT,
    Title: headerText(alert.title),
    Priority: String(ntfyPriority(alert, s.priority)),
    Tags: [levelTag(alert), ...s.tags].join(','),
  };
  if (secret) headers.Authorization = s.user ? `Basic ${Buffer.from(`${s.user}:${secret}`, 'utf8').toString('base64')}` : `Bearer ${secret}`;
  return { url: joinUrl(s.server, encodeURIComponent(s.topic)), method: 'POST', headers, body: alert.body };
}

/** Gotify: POST <server>/message with the application token in X-Gotify-Key (never in the URL, where logs keep it). */
export function buildGotifyRequest(s: GotifyChannelSettings, alert: PushAlert, token: string): PushRequest {
  const body = { title: alert.title, message: alert.body, priority: gotifyPriority(alert, s.priority), extras: { 'client::display': { contentType: 'text/plain' } } };
  return {
    url: joinUrl(s.server, 'message'),
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, 'X-Gotify-Key': token },
    body: JSON.stringify(body),
  };
}

export function templateValues(alert: PushAlert): AlertTemplateValues {
  return {
    title: alert.title,
    message: alert.body,
    level: alert.level,
    kind: alert.kind,
    rule: alert.rule,
    host: alert.host,
    value: alert.value,
    unit: alert.unit,
    at: new Date(alert.at).toISOString(),
    alertId: alert.alertId,
    studio: hostname(),
  };
}

/** The webhook: the owner's template filled with the alert, POSTed as JSON; a stored token as a bearer token. */
export function buildWebhookRequest(s: WebhookChannelSettings, alert: PushAlert, token: string | null): PushRequest {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT };
  if (token) headers.Authorization = `Bearer ${token}`;
  return { url: s.url, method: 'POST', headers, body: renderAlertTemplate(s.template, templateValues(alert)) };
}
