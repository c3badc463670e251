import type { AlertLevel, AlertRecord, MonitorAlertEvent, MonitorHistory, MonitorSample, MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { DEFAULT_MONITOR_SETTINGS, monitorSettingsSchema } from '../../../../shared/contract/monitor';
import { ChurchError } from '../../../../shared/errors';
import type { AuditLog } from '../audit';
import type { Db } from '../db';
import type { SecretStore } from '../secrets';
import type { SettingsStore } from '../settings';
import { sendAlertMail, type EmailResult } from './emailChannel';
import { LinuxSampler, type StatFs } from './linux/LinuxSampler';
import { findNvidiaSmi, queryNvidiaSmi, type GpuQueryResult } from './nvidiaSmi';
import { NvidiaStream } from './nvidiaStream';
import { PrometheusEndpoint } from './prometheusEndpoint';
import { MetricsExposition } from './prometheus';
import { toReadings } from './readings';
import { SampleRing } from './ringBuffer';
import { RuleEngine, type RuleEvent } from './rules';
import type { Sampler } from './sampler';
import { AlertHistory, migrateMonitor, MinuteRollup } from './store';
import { SystemInformationSampler } from './SystemInformationSampler';

export const SETTINGS_KEY = 'monitor';
export const SMTP_SECRET = 'smtp-password';
/** The bearer token scrapes from other machines must send (CHURCH_PROMETHEUS_TOKEN in CLI/browser mode). */
export const PROMETHEUS_TOKEN_SECRET = 'prometheus-token';
const HOUR_MS = 3_600_000;
/** After nvidia-smi fails, ask again this much later instead of paying for a failing spawn every second. */
const GPU_RETRY_MS = 60_000;

export interface MonitorDeps {
  db: Db;
  audit: AuditLog;
  /** Where monitor.sample / monitor.alert go (the host's EventHub). */
  emit(name: 'monitor.sample' | 'monitor.alert', payload: MonitorSample | MonitorAlertEvent): void;
  settings: SettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  logError(msg: string, e: unknown): void;
  triggerKillSwitch(reason: string): Promise<unknown>;
  /** Pauses the job queue (a rule with pauseJobs reached critical); absent where there is no job engine. */
  pauseJobs?(reason: string): void;
  /** Tests: a sampler of their own, a fixture root for /proc and /sys, a statfs, a clock. */
  sampler?: Sampler;
  root?: string;
  statfs?: StatFs;
  now?: () => number;
  /** Tests: accept the SMTP server's self-signed certificate. */
  smtpAllowSelfSigned?: boolean;
}

type Unit = AlertRecord['unit'];

function fmt(v: number, unit: Unit): string {
  if (unit === 'B/s') return `${(v / 1e6).toFixed(1)} MB/s`;
  if (unit === '%') return `${v.toFixed(1)} %`;
  if (unit === '°C') return `${v.toFixed(1)} °C`;
  return `${Math.round(v * 10) / 10}${unit ? ` ${unit}` : ''}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * The hardware monitor: samples the machine every interval (primary process only), keeps the last hour in
 * memory and minute averages for 30 days in SQLite, evaluates the alert rules and sends alerts to the desktop,
 * e-mail and the audit log, and optionally serves the figures to Prometheus on 127.0.0.1.
 */
export class Monitor {
  private readonly sampler: Sampler;
  private readonly ring = new SampleRing(3600);
  private readonly rollup: MinuteRollup;
  private readonly history: AlertHistory;
  private readonly rules: RuleEngine;
  // Built on the first scrape: prom-client is loaded only when the Prometheus endpoint is used.
  private expositionInstance: MetricsExposition | null = null;
  private get exposition(): MetricsExposition {
    return (this.expositionInstance ??= new MetricsExposition());
  }
  private readonly now: () => number;
  private settingsData: MonitorSettingsData;
  private latest: MonitorSample | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  /** The sample being taken by the timer, so an early `current()` waits for it instead of reading alongside. */
  private inflight: Promise<MonitorSample> | null = null;
  private running = false;
  private readonly endpoint: PrometheusEndpoint;
  /** Starts and stops of the endpoint run one after another: two overlapping setSettings must not both listen. */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly nvidiaSmi: string | null;
  private gpuRetryAt = 0;
  private gpuProblem: string | null = null;
  /** While sampling: one long-lived `nvidia-smi -lms` instead of a process per sample. */
  private gpuStream: NvidiaStream | null = null;
  private closed = false;

  constructor(private readonly deps: MonitorDeps) {
    migrateMonitor(deps.db);
    this.now = deps.now ?? Date.now;
    this.rollup = new MinuteRollup(deps.db);
    this.history = new AlertHistory(deps.db);
    this.settingsData = deps.settings.get(SETTINGS_KEY, monitorSettingsSchema, DEFAULT_MONITOR_SETTINGS);
    this.rules = new RuleEngine(this.settingsData.rules);
    const forceSi = deps.env.CHURCH_MONITOR_SAMPLER === 'systeminformation';
    this.sampler =
      deps.sampler ??
      (process.platform === 'linux' && !forceSi
        ? new LinuxSampler({ root: deps.root ?? deps.env.CHURCH_MONITOR_ROOT ?? '/', statfs: deps.statfs, now: this.now })
        : new SystemInformationSampler(deps.env.CHURCH_LHM_URL ? { hardwareMonitorUrl: deps.env.CHURCH_LHM_URL } : {}));
    this.endpoint = new PrometheusEndpoint({
      settings: () => this.settingsData.prometheus,
      token: () => this.readSecret(PROMETHEUS_TOKEN_SECRET),
      render: () => this.metricsText(),
      contentType: () => this.exposition.registry.contentType,
      logError: deps.logError,
    });
    this.nvidiaSmi = findNvidiaSmi(deps.env);
    if (!this.nvidiaSmi) this.gpuProblem = 'nvidia-smi not found (no NVIDIA driver, or set CHURCH_NVIDIA_SMI)';
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Primary process only: the sampling timer and (when enabled) the Prometheus endpoint. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.history.closeDangling(this.now());
    this.rollup.pruneOld(this.now());
    this.startGpuStream();
    this.schedule();
    // The first sample now, not one interval later: a window opening with the studio shows figures at once.
    void this.timedTick();
    this.track(this.endpoint.apply()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const stream = this.gpuStream;
    this.gpuStream = null;
    // The sample in flight still writes the ring, the minute rollup and the alert history: let it finish before
    // the host closes the database under it.
    if (this.inflight) await this.inflight.catch(() => null);
    await this.idle();
    await stream?.stop();
    try {
      this.rollup.flush(this.now());
    } catch (e) {
      this.deps.logError('monitor: the last minute could not be saved', e);
    }
    await this.endpoint.close();
  }

  /** Resolves when alert deliveries and kill-switch calls in flight have ended (tests, close). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  get sampling(): boolean {
    return this.running;
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      // A slow sample (a hung nvidia-smi, a stalled NFS statfs) skips ticks rather than piling them up.
      if (this.busy) return;
      void this.timedTick();
    }, this.settingsData.intervalMs);
    this.timer.unref();
  }

  private timedTick(): Promise<MonitorSample | null> {
    this.inflight = this.tick();
    return this.inflight.catch((e: unknown) => {
      this.deps.logError('monitor: a sample failed', e);
      return null;
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  // ---- sampling --------------------------------------------------------------------------------------------

  private startGpuStream(): void {
    if (!this.nvidiaSmi || this.closed) return;
    this.gpuStream = new NvidiaStream({
      bin: this.nvidiaSmi,
      intervalMs: this.settingsData.intervalMs,
      env: this.deps.env,
      log: (msg) => this.deps.logError('monitor: GPU query', new Error(msg)),
    });
    this.gpuStream.start();
  }

  /** The GPU reader's process, for tests and the bench (null when not streaming). */
  get gpuReader(): NvidiaStream | null {
    return this.gpuStream;
  }

  private async gpuQuery(): Promise<GpuQueryResult> {
    if (!this.nvidiaSmi) return { gpus: [], problem: this.gpuProblem };
    if (this.gpuStream) return this.gpuStream.read();
    if (this.now() < this.gpuRetryAt) return { gpus: [], problem: this.gpuProblem };
    const r = await queryNvidiaSmi(this.nvidiaSmi);
    this.gpuProblem = r.problem;
    if (r.problem) this.gpuRetryAt = this.now() + GPU_RETRY_MS;
    return r;
  }

  /** Reads every sensor once (and nvidia-smi once, in parallel). */
  async takeSample(): Promise<MonitorSample> {
    const before = process.cpuUsage();
    const [raw, gpu] = await Promise.all([this.sampler.sample(), this.gpuQuery()]);
    // AMD cards come from the sampler (sysfs), NVIDIA ones from nvidia-smi: one list, numbered NVIDIA first.
    raw.gpus = [...gpu.gpus, ...raw.gpus.map((g, i) => ({ ...g, index: gpu.gpus.length + i }))];
    // No nvidia-smi on a box with AMD cards is not a problem worth listing.
    if (gpu.problem && !(raw.gpus.length > 0 && !this.nvidiaSmi)) raw.unavailable.push({ sensor: 'NVIDIA GPU', reason: gpu.problem });
    const readings = toReadings(raw);
    const used = process.cpuUsage(before);
    return { ...raw, readings, costMs: Math.round((used.user + used.system) / 10) / 100 };
  }

  /** One full cycle: sample, remember, evaluate the rules, publish. Called by the timer; tests call it directly. */
  async tick(): Promise<MonitorSample> {
    this.busy = true;
    try {
      const s = await this.takeSample();
      this.latest = s;
      this.ring.push(s.at, s.readings);
      try {
        this.rollup.add(s.at, s.readings);
      } catch (e) {
        this.deps.logError('monitor: minute averages could not be saved', e);
      }
      for (const ev of this.rules.evaluate(s.readings, s.at)) this.track(this.onRuleEvent(ev));
      this.deps.emit('monitor.sample', s);
      return s;
    } finally {
      this.busy = false;
    }
  }

  /** The newest sample; a process that is not sampling reads the hardware now (twice, so rates exist). */
  async current(): Promise<MonitorSample> {
    if (this.running && this.latest) return this.latest;
    if (this.running && this.inflight) {
      const first = await this.inflight.catch(() => null);
      if (first) return first;
    }
    if (!this.sampler.hasBaseline) {
      await this.sampler.sample();
      await new Promise((r) => setTimeout(r, 250));
    }
    const s = await this.takeSample();
    this.latest = s;
    return s;
  }

  getHistory(series: string[], rangeSec: number): MonitorHistory {
    const since = this.now() - rangeSec * 1000;
    const oldest = this.ring.oldest();
    const fromRing = rangeSec * 1000 <= HOUR_MS && oldest !== null && (oldest <= since || this.running);
    if (!fromRing) this.rollup.flush(this.now());
    const out: MonitorHistory = { resolution: fromRing ? 'sample' : 'minute', series: [] };
    for (const id of series) {
      const s = fromRing ? this.ring.series(id, since) : this.rollup.series(id, since);
      if (s) out.series.push({ id, ...s });
    }
    return out;
  }

  alerts(limit: number): AlertRecord[] {
    return this.history.recent(limit);
  }

  // ---- alerts ----------------------------------------------------------------------------------------------

  private async onRuleEvent(ev: RuleEvent): Promise<void> {
    const { rule, reading } = ev;
    const unit = reading.unit;
    const levelName = (l: string) => (l === 'critical' ? 'CRITICAL' : 'WARNING');
    const limits = [rule.warn !== null ? `warning ${fmt(rule.warn, unit)}` : null, rule.critical !== null ? `critical ${fmt(rule.critical, unit)}` : null].filter(Boolean).join(', ');
    try {
      if (ev.kind === 'fired' || ev.kind === 'escalated') {
        const level = ev.level as AlertLevel;
        let id = ev.kind === 'escalated' ? this.history.findOpen(rule.id, ev.series) : null;
        if (id === null) id = this.history.open({ ruleId: rule.id, series: ev.series, label: reading.label, level, value: ev.value, unit, at: ev.at });
        else this.history.update(id, { level, peak: ev.value });
        const title = `${levelName(level)}: ${reading.label} at ${fmt(ev.value, unit)}`;
        const body = `${reading.label} is ${fmt(ev.value, unit)} (rule ${rule.id}: ${limits}; held ${rule.forSec} s).${rule.killSwitchAfterSec !== null && level === 'critical' ? ` The kill switch runs if it stays critical for ${rule.killSwitchAfterSec} s.` : ''}`;
        let paused = '';
        if (level === 'critical' && rule.pauseJobs && this.deps.pauseJobs) {
          try {
            this.deps.pauseJobs(`monitor rule ${rule.id}: ${reading.label} at ${fmt(ev.value, unit)}`);
            paused = 'job queue paused; ';
            this.deps.audit.write({ actor: 'system', action: 'monitor.pauseJobs', input: { rule: rule.id, series: reading.id, value: ev.value }, ok: true });
          } catch (e) {
            this.deps.logError('monitor: the job queue could not be paused', e);
          }
        }
        const delivery = await this.deliver(
          { kind: ev.kind, level, title, body: paused ? `${body} The job queue was paused; resume it on the Jobs screen once there is room.` : body, alertId: id },
          { rule: rule.id, series: reading.id, value: ev.value },
        );
        this.history.update(id, { delivery: `${paused}${delivery}` });
      } else if (ev.kind === 'cleared') {
        const id = this.history.findOpen(rule.id, ev.series);
        const startedAt = id === null ? null : (this.history.get(id)?.startedAt ?? null);
        if (id !== null) this.history.update(id, { clearedAt: ev.at, peak: ev.peak });
        const lasted = `Peak ${fmt(ev.peak, unit)}${startedAt !== null ? `, the episode lasted ${duration(ev.at - startedAt)}` : ''}.`;
        // A series that stopped appearing (unmounted disk, removed container) ends its episode as gone, not as fine.
        const title = ev.gone ? `Cleared: ${reading.label} is gone` : `Cleared: ${reading.label} back to ${fmt(ev.value, unit)}`;
        const body = ev.gone
          ? `${reading.label} has not been reported for a while (sensor gone; rule ${rule.id}: ${limits}). ${lasted}`
          : `${reading.label} is back to ${fmt(ev.value, unit)} (rule ${rule.id}: ${limits}). ${lasted}`;
        const delivery = await this.deliver({ kind: 'cleared', level: ev.level as AlertLevel, title, body, alertId: id }, { rule: rule.id, series: reading.id, value: ev.value });
        if (id !== null) this.history.update(id, { delivery: `${ev.gone ? 'cleared: sensor gone' : 'cleared'}: ${delivery}` });
      } else {
        const id = this.history.findOpen(rule.id, ev.series);
        if (id !== null) this.history.update(id, { killSwitch: true });
        const reason = `monitor rule ${rule.id}: ${reading.label} critical (${fmt(ev.value, unit)}) for ${duration(ev.heldMs ?? 0)}`;
        this.deps.audit.write({ actor: 'system', action: 'monitor.killSwitch', input: { rule: rule.id, series: reading.id, value: ev.value, heldMs: ev.heldMs }, ok: true });
        try {
          await this.deps.triggerKillSwitch(reason);
        } catch (e) {
          this.deps.logError('monitor: the kill switch could not be triggered', e);
          this.deps.audit.write({ actor: 'system', action: 'monitor.killSwitch', input: { rule: rule.id, error: (e as Error).message }, ok: false, errorCode: 'EXTERNAL' });
        }
      }
    } catch (e) {
      // The alert path must never take the sampler (or main) down with it.
      this.deps.logError('monitor: an alert could not be handled', e);
    }
  }

  /** Desktop event + e-mail + audit log; resolves to where it went. Never throws. */
  private async deliver(ev: Omit<MonitorAlertEvent, 'at'>, auditInput: Record<string, unknown>): Promise<string> {
    const parts: string[] = [];
    const at = this.now();
    if (this.settingsData.desktopNotifications || ev.kind === 'broadcast') {
      this.deps.emit('monitor.alert', { ...ev, at });
      parts.push('desktop notification');
    }
    let mail: EmailResult | null = null;
    if (this.settingsData.smtp.enabled) {
      mail = await this.sendMail(ev.title, ev.body);
      parts.push(mail.message);
      if (!mail.sent) this.deps.logError('monitor: alert e-mail not sent', new Error(mail.message));
    }
    try {
      this.deps.audit.write({ actor: 'system', action: `monitor.alert.${ev.kind}`, input: { ...auditInput, level: ev.level, title: ev.title, email: mail?.message ?? 'off' }, ok: mail?.sent !== false, errorCode: mail && !mail.sent ? 'EXTERNAL' : null });
      parts.push('audit log');
    } catch (e) {
      this.deps.logError('monitor: the alert could not be written to the audit log', e);
    }
    return parts.join('; ');
  }

  private sendMail(title: string, body: string): Promise<EmailResult> {
    let password: string | null = null;
    try {
      password = this.deps.secrets.get(SMTP_SECRET);
    } catch (e) {
      return Promise.resolve({ sent: false, message: `e-mail failed: the SMTP password could not be read (${(e as Error).message})` });
    }
    return sendAlertMail(this.settingsData.smtp, password, title, body, { allowSelfSigned: this.deps.smtpAllowSelfSigned });
  }

  /** The kill switch's alert step (and anything else that must reach the owner): every channel, one summary line. */
  broadcastAlert(title: string, body: string): Promise<string> {
    return this.track(this.deliver({ kind: 'broadcast', level: 'critical', title, body, alertId: null }, { broadcast: true }));
  }

  // ---- settings --------------------------------------------------------------------------------------------

  getSettings(): MonitorSettingsView {
    return {
      ...this.settingsData,
      smtpPasswordSet: this.secretSet(SMTP_SECRET),
      prometheusTokenSet: this.secretSet(PROMETHEUS_TOKEN_SECRET),
      prometheusUrl: this.endpoint.url(),
      sampling: this.running,
    };
  }

  private secretSet(name: string): boolean {
    try {
      return this.deps.secrets.get(name) !== null;
    } catch {
      return false; // an unreadable keychain counts as not set
    }
  }

  private readSecret(name: string): string | null {
    try {
      return this.deps.secrets.get(name);
    } catch {
      return null;
    }
  }

  async setSettings(data: MonitorSettingsData): Promise<MonitorSettingsView> {
    const prev = this.settingsData;
    this.settingsData = this.deps.settings.set(SETTINGS_KEY, monitorSettingsSchema, data);
    this.rules.setRules(this.settingsData.rules);
    if (this.running) this.history.closeExcept(this.settingsData.rules.filter((r) => r.enabled).map((r) => r.id), this.now());
    if (this.running && prev.intervalMs !== this.settingsData.intervalMs) {
      this.schedule();
      // The loop period is an argument of the process: a new interval needs a new one.
      const old = this.gpuStream;
      this.gpuStream = null;
      await old?.stop();
      if (this.running) this.startGpuStream();
    }
    if (this.running) await this.endpoint.apply();
    return this.getSettings();
  }

  setSmtpPassword(password: string | null): MonitorSettingsView {
    if (password === null || password === '') this.deps.secrets.delete(SMTP_SECRET);
    else this.deps.secrets.set(SMTP_SECRET, password);
    return this.getSettings();
  }

  /** Stores (or with null removes) the scrape token; an endpoint open to the LAN without one is stopped. */
  async setPrometheusToken(token: string | null): Promise<MonitorSettingsView> {
    if (token === null || token === '') this.deps.secrets.delete(PROMETHEUS_TOKEN_SECRET);
    else this.deps.secrets.set(PROMETHEUS_TOKEN_SECRET, token);
    if (this.running) await this.endpoint.apply().catch(() => undefined);
    return this.getSettings();
  }

  async testEmail(): Promise<{ sent: boolean; message: string }> {
    if (!this.settingsData.smtp.enabled) throw new ChurchError('UNAVAILABLE', 'e-mail alerts are off: enable them and save the SMTP settings first');
    const r = await this.sendMail('Test e-mail', 'This is a test of the alert e-mail. If you can read it, the hardware monitor can reach you.');
    this.deps.audit.write({ actor: 'system', action: 'monitor.testEmail', input: { to: this.settingsData.smtp.to, result: r.message }, ok: r.sent, errorCode: r.sent ? null : 'EXTERNAL' });
    return r;
  }

  // ---- Prometheus ------------------------------------------------------------------------------------------

  /** The newest sample in Prometheus text format (what GET /metrics answers). */
  metricsText(): Promise<string> {
    return this.exposition.render(this.latest);
  }
}
