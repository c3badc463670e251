import type { AlertLevel, AlertRecord, MonitorAlertEvent, MonitorSettingsData } from '../../../shared/dto/monitor';
import type { AuditLog } from '../../platform/audit';
import type { BoundSecret } from '../../platform/secrets';
import { sendAlertMail, type EmailResult } from './emailChannel';
import { smtpMovedNote } from './monitorSecrets';
import type { RuleEvent } from './rules';
import type { PushAlert } from './channels/buildPush';
import { pushToEnabled, type PushDeps } from './channels/pushChannels';
import type { AlertHistory } from './store';

/** The alert history's rule id for "a lab host stopped reporting" (not a user rule: it has no thresholds). */
export const HOST_OFFLINE_RULE = 'host-offline';

type Unit = AlertRecord['unit'];

export function fmt(v: number, unit: Unit): string {
  if (unit === 'B/s') return `${(v / 1e6).toFixed(1)} MB/s`;
  if (unit === '%') return `${v.toFixed(1)} %`;
  if (unit === '°C') return `${v.toFixed(1)} °C`;
  return `${Math.round(v * 10) / 10}${unit ? ` ${unit}` : ''}`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export interface AlertingDeps {
  history: AlertHistory;
  audit: AuditLog;
  /** The SMTP password, bound to the server it was entered for (MonitorSecrets). */
  smtpPassword(): BoundSecret;
  settings(): MonitorSettingsData;
  emit(payload: MonitorAlertEvent): void;
  logError(msg: string, e: unknown): void;
  triggerKillSwitch(reason: string): Promise<unknown>;
  pauseJobs?(reason: string): void;
  now(): number;
  smtpAllowSelfSigned?: boolean;
  /** The push channels (webhook, ntfy, Gotify): their settings and secrets. */
  push?: PushDeps;
}

const asText = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The alert as the push channels see it; what it is about comes from its audit record. */
export function pushAlert(ev: Omit<MonitorAlertEvent, 'at'>, at: number, about: Record<string, unknown>, unit: string | null): PushAlert {
  return { ...ev, at, rule: asText(about.rule), host: asText(about.host), value: typeof about.value === 'number' ? about.value : null, unit };
}

/**
 * Turns rule episodes into alerts: the history row, the desktop event, e-mail and the audit log, and a rule's
 * actions (pause the queue, trigger the kill switch). `who` names the host an episode is about when it is not
 * plainly this machine, so "gpu-box: CPU Package at 91 °C" says where to look.
 */
export class Alerting {
  constructor(private readonly deps: AlertingDeps) {}

  async onRuleEvent(ev: RuleEvent, who: string | null, seriesKey: string): Promise<void> {
    const { rule } = ev;
    const reading = who ? { ...ev.reading, label: `${who}: ${ev.reading.label}` } : ev.reading;
    const unit = reading.unit;
    const { history, audit } = this.deps;
    const levelName = (l: string) => (l === 'critical' ? 'CRITICAL' : 'WARNING');
    const limits = [rule.warn !== null ? `warning ${fmt(rule.warn, unit)}` : null, rule.critical !== null ? `critical ${fmt(rule.critical, unit)}` : null].filter(Boolean).join(', ');
    try {
      if (ev.kind === 'fired' || ev.kind === 'escalated') {
        const level = ev.level as AlertLevel;
        let id = ev.kind === 'escalated' ? history.findOpen(rule.id, seriesKey) : null;
        if (id === null) id = history.open({ ruleId: rule.id, series: seriesKey, label: reading.label, level, value: ev.value, unit, at: ev.at });
        else history.update(id, { level, peak: ev.value });
        const title = `${levelName(level)}: ${reading.label} at ${fmt(ev.value, unit)}`;
        const body = `${reading.label} is ${fmt(ev.value, unit)} (rule ${rule.id}: ${limits}; held ${rule.forSec} s).${rule.killSwitchAfterSec !== null && level === 'critical' ? ` The kill switch runs if it stays critical for ${rule.killSwitchAfterSec} s.` : ''}`;
        let paused = '';
        if (level === 'critical' && rule.pauseJobs && this.deps.pauseJobs) {
          try {
            this.deps.pauseJobs(`monitor rule ${rule.id}: ${reading.label} at ${fmt(ev.value, unit)}`);
            paused = 'job queue paused; ';
            audit.write({ actor: 'system', action: 'monitor.pauseJobs', input: { rule: rule.id, series: reading.id, value: ev.value }, ok: true });
          } catch (e) {
            this.deps.logError('monitor: the job queue could not be paused', e);
          }
        }
        const delivery = await this.deliver(
          { kind: ev.kind, level, title, body: paused ? `${body} The job queue was paused; resume it on the Jobs screen once there is room.` : body, alertId: id },
          { rule: rule.id, series: reading.id, value: ev.value, ...(who ? { host: who } : {}) },
          unit,
        );
        history.update(id, { delivery: `${paused}${delivery}` });
      } else if (ev.kind === 'cleared') {
        const id = history.findOpen(rule.id, seriesKey);
        const startedAt = id === null ? null : (history.get(id)?.startedAt ?? null);
        if (id !== null) history.update(id, { clearedAt: ev.at, peak: ev.peak });
        const lasted = `Peak ${fmt(ev.peak, unit)}${startedAt !== null ? `, the episode lasted ${duration(ev.at - startedAt)}` : ''}.`;
        // A series that stopped appearing (unmounted disk, removed container) ends its episode as gone, not as fine.
        const title = ev.gone ? `Cleared: ${reading.label} is gone` : `Cleared: ${reading.label} back to ${fmt(ev.value, unit)}`;
        const body = ev.gone
          ? `${reading.label} has not been reported for a while (sensor gone; rule ${rule.id}: ${limits}). ${lasted}`
          : `${reading.label} is back to ${fmt(ev.value, unit)} (rule ${rule.id}: ${limits}). ${lasted}`;
        const delivery = await this.deliver({ kind: 'cleared', level: ev.level as AlertLevel, title, body, alertId: id }, { rule: rule.id, series: reading.id, value: ev.value, ...(who ? { host: who } : {}) }, unit);
        if (id !== null) history.update(id, { delivery: `${ev.gone ? 'cleared: sensor gone' : 'cleared'}: ${delivery}` });
      } else {
        const id = history.findOpen(rule.id, seriesKey);
        if (id !== null) history.update(id, { killSwitch: true });
        const reason = `monitor rule ${rule.id}: ${reading.label} critical (${fmt(ev.value, unit)}) for ${duration(ev.heldMs ?? 0)}`;
        audit.write({ actor: 'system', action: 'monitor.killSwitch', input: { rule: rule.id, series: reading.id, value: ev.value, heldMs: ev.heldMs }, ok: true });
        try {
          await this.deps.triggerKillSwitch(reason);
        } catch (e) {
          this.deps.logError('monitor: the kill switch could not be triggered', e);
          audit.write({ actor: 'system', action: 'monitor.killSwitch', input: { rule: rule.id, error: (e as Error).message }, ok: false, errorCode: 'EXTERNAL' });
        }
      }
    } catch (e) {
      // The alert path must never take the sampler (or main) down with it.
      this.deps.logError('monitor: an alert could not be handled', e);
    }
  }

  /** A lab host stopped reporting: one critical episode until it reports again. */
  async hostOffline(host: string, lastSeen: number, offlineMs: number): Promise<void> {
    try {
      const { history } = this.deps;
      const series = `host:${host}`;
      if (history.findOpen(HOST_OFFLINE_RULE, series) !== null) return;
      const silent = this.deps.now() - lastSeen;
      const id = history.open({ ruleId: HOST_OFFLINE_RULE, series, label: `Lab host ${host}`, level: 'critical', value: Math.round(silent / 1000), unit: 's', at: this.deps.now() });
      const title = `Lab host offline: ${host}`;
      const body = `The lab host ${host} has not reported for ${duration(silent)} (offline after ${duration(offlineMs)}; last seen ${new Date(lastSeen).toISOString()}). A job it was running is taken over by another agent once BullMQ notices the stall. Check the host, its network and its "church agent" service.`;
      history.update(id, { delivery: await this.deliver({ kind: 'fired', level: 'critical', title, body, alertId: id }, { rule: HOST_OFFLINE_RULE, host }) });
    } catch (e) {
      this.deps.logError('monitor: the host offline alert could not be handled', e);
    }
  }

  async hostBack(host: string): Promise<void> {
    try {
      const { history } = this.deps;
      const id = history.findOpen(HOST_OFFLINE_RULE, `host:${host}`);
      if (id === null) return;
      const at = this.deps.now();
      const startedAt = history.get(id)?.startedAt ?? at;
      history.update(id, { clearedAt: at });
      const delivery = await this.deliver({ kind: 'cleared', level: 'critical', title: `Cleared: lab host ${host} reports again`, body: `The lab host ${host} reports again after ${duration(at - startedAt)} offline.`, alertId: id }, { rule: HOST_OFFLINE_RULE, host });
      history.update(id, { delivery: `cleared: ${delivery}` });
    } catch (e) {
      this.deps.logError('monitor: the host offline alert could not be cleared', e);
    }
  }

  /**
   * Desktop event, e-mail and the push channels (at once: a slow one holds back none of the others), then the
   * audit log; resolves to where it went. Never throws.
   */
  async deliver(ev: Omit<MonitorAlertEvent, 'at'>, auditInput: Record<string, unknown>, unit: string | null = null): Promise<string> {
    const parts: string[] = [];
    const at = this.deps.now();
    const settings = this.deps.settings();
    if (settings.desktopNotifications || ev.kind === 'broadcast') {
      this.deps.emit({ ...ev, at });
      parts.push('desktop notification');
    }
    const mailing = settings.smtp.enabled ? this.sendMail(ev.title, ev.body) : Promise.resolve(null);
    const pushing = this.deps.push ? pushToEnabled(pushAlert(ev, at, auditInput, unit), this.deps.push) : Promise.resolve([]);
    const [mail, pushes] = await Promise.all([mailing, pushing]);
    if (mail) {
      parts.push(mail.message);
      if (!mail.sent) this.deps.logError('monitor: alert e-mail not sent', new Error(mail.message));
    }
    for (const p of pushes) {
      parts.push(p.result.message);
      if (!p.result.sent) this.deps.logError(`monitor: alert not pushed to ${p.channel}`, new Error(p.result.message));
    }
    const failed = mail?.sent === false || pushes.some((p) => !p.result.sent);
    try {
      const channels = Object.fromEntries(pushes.map((p) => [p.channel, p.result.message]));
      this.deps.audit.write({ actor: 'system', action: `monitor.alert.${ev.kind}`, input: { ...auditInput, level: ev.level, title: ev.title, email: mail?.message ?? 'off', ...channels }, ok: !failed, errorCode: failed ? 'EXTERNAL' : null });
      parts.push('audit log');
    } catch (e) {
      this.deps.logError('monitor: the alert could not be written to the audit log', e);
    }
    return parts.join('; ');
  }

  sendMail(title: string, body: string): Promise<EmailResult> {
    const smtp = this.deps.settings().smtp;
    const password = this.deps.smtpPassword();
    // A password entered for another server is never sent to this one: the owner enters it again.
    if (smtp.enabled && smtp.user && password.state === 'moved') return Promise.resolve({ sent: false, message: `e-mail not sent: ${smtpMovedNote(smtp)}` });
    return sendAlertMail(smtp, password.value, title, body, { allowSelfSigned: this.deps.smtpAllowSelfSigned });
  }
}
