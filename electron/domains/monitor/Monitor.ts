import { hostname } from 'node:os';
import { z } from 'zod';
import { ANY_HOST, ruleWatchesHost, summarizeSample, type AlertRecord, type HostSampleEvent, type MonitorAlertEvent, type MonitorHistory, type MonitorHost, type MonitorSample, type MonitorSettingsData, type MonitorSettingsView } from '../../../shared/dto/monitor';
import { DEFAULT_MONITOR_SETTINGS, monitorSettingsSchema } from '../../../shared/contract/monitor';
import { ChurchError } from '../../../shared/errors';
import type { AuditLog } from '../../platform/audit';
import type { Db } from '../../platform/db';
import type { SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';
import { Alerting, SMTP_SECRET } from './alerting';
import { HardwareReader } from './hardwareReader';
import { LabHosts } from './labHosts';
import type { StatFs } from './linux/LinuxSampler';
import type { NvidiaStream } from './nvidiaStream';
import { PrometheusEndpoint } from './prometheusEndpoint';
import { MetricsExposition } from './prometheus';
import { SampleRing } from './ringBuffer';
import { RuleEngine } from './rules';
import type { Sampler } from './sampler';
import { AlertHistory, labHostSeriesPrefix, migrateMonitor, MinuteRollup } from './store';

export { SMTP_SECRET } from './alerting';
export const SETTINGS_KEY = 'monitor';
/** The bearer token scrapes from other machines must send (CHURCH_PROMETHEUS_TOKEN in CLI/browser mode). */
export const PROMETHEUS_TOKEN_SECRET = 'prometheus-token';
const HOUR_MS = 3_600_000;
/** A lab host silent this long is offline where no lab service says otherwise (CHURCH_LAB_OFFLINE_MS still wins). */
const HOST_OFFLINE_SEC_DEFAULT = 15;

/**
 * The stored monitor settings. A "Lab host offline after" saved by the build that had it in the Monitor section
 * (now Settings → Lab's one setting) is dropped, not a reason to fall back to the defaults and lose the rules.
 */
const storedMonitorSettings = z.preprocess((v) => {
  if (!v || typeof v !== 'object' || !('hostOfflineSec' in v)) return v;
  const { hostOfflineSec: _dropped, ...rest } = v as Record<string, unknown>;
  return rest;
}, monitorSettingsSchema);

export function readMonitorSettings(store: SettingsStore): MonitorSettingsData {
  return store.get(SETTINGS_KEY, storedMonitorSettings, DEFAULT_MONITOR_SETTINGS);
}

export interface MonitorDeps {
  db: Db;
  audit: AuditLog;
  /** Where monitor.sample / monitor.hostSample / monitor.alert go (the host's EventHub). */
  emit(name: 'monitor.sample' | 'monitor.hostSample' | 'monitor.alert', payload: MonitorSample | HostSampleEvent | MonitorAlertEvent): void;
  settings: SettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  logError(msg: string, e: unknown): void;
  triggerKillSwitch(reason: string): Promise<unknown>;
  /** Pauses the job queue (a rule with pauseJobs reached critical); absent where there is no job engine. */
  pauseJobs?(reason: string): void;
  /**
   * Milliseconds without a sample before a lab host is offline: the lab's one setting (Settings → Lab → "Host
   * offline after (s)", CHURCH_LAB_OFFLINE_MS wins), read each check so an edit applies at once.
   */
  hostOfflineMs?(): number;
  /** Tests: a sampler of their own, a fixture root for /proc and /sys, a statfs, a clock. */
  sampler?: Sampler;
  root?: string;
  statfs?: StatFs;
  now?: () => number;
  /** Tests: accept the SMTP server's self-signed certificate. */
  smtpAllowSelfSigned?: boolean;
}

/**
 * The hardware monitor: samples the machine every interval (primary process only), keeps the last hour in
 * memory and minute averages for 30 days in SQLite, evaluates the alert rules and sends alerts to the desktop,
 * e-mail and the audit log, and optionally serves the figures to Prometheus on 127.0.0.1.
 */
export class Monitor {
  private readonly reader: HardwareReader;
  private readonly ring = new SampleRing(3600);
  private readonly rollup: MinuteRollup;
  private readonly history: AlertHistory;
  private readonly rules: RuleEngine;
  private readonly alerting: Alerting;
  /** Lab hosts' samples (agents, scraped node_exporters), their rules and who went silent. */
  private readonly lab = new LabHosts();
  /** Each lab host's minute averages, in SQLite beside this machine's (24 h and 7 d charts, across restarts). */
  private readonly hostRollups = new Map<string, MinuteRollup>();
  private offlineTimer: NodeJS.Timeout | null = null;
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
  private closed = false;
  /** What an "any host" alert calls this machine. */
  private readonly localName = `this machine (${hostname()})`;

  constructor(private readonly deps: MonitorDeps) {
    migrateMonitor(deps.db);
    this.now = deps.now ?? Date.now;
    this.rollup = new MinuteRollup(deps.db);
    this.history = new AlertHistory(deps.db);
    this.settingsData = readMonitorSettings(deps.settings);
    this.rules = new RuleEngine(this.localRules());
    this.lab.setRules(this.settingsData.rules);
    this.reader = new HardwareReader({ env: deps.env, logError: deps.logError, sampler: deps.sampler, root: deps.root, statfs: deps.statfs, now: this.now });
    this.alerting = new Alerting({
      history: this.history,
      audit: deps.audit,
      secrets: deps.secrets,
      settings: () => this.settingsData,
      emit: (ev) => deps.emit('monitor.alert', ev),
      logError: deps.logError,
      triggerKillSwitch: deps.triggerKillSwitch,
      pauseJobs: deps.pauseJobs,
      now: this.now,
      smtpAllowSelfSigned: deps.smtpAllowSelfSigned,
    });
    this.endpoint = new PrometheusEndpoint({
      settings: () => this.settingsData.prometheus,
      token: () => this.readSecret(PROMETHEUS_TOKEN_SECRET),
      render: () => this.metricsText(),
      contentType: () => this.exposition.registry.contentType,
      logError: deps.logError,
    });
  }

  private localRules() {
    return this.settingsData.rules.filter((r) => ruleWatchesHost(r, null));
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Primary process only: the sampling timer and (when enabled) the Prometheus endpoint. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.history.closeDangling(this.now());
    this.rollup.pruneOld(this.now());
    this.reader.startGpuStream(this.settingsData.intervalMs);
    this.schedule();
    this.offlineTimer = setInterval(() => this.checkOffline(), 1000);
    this.offlineTimer.unref();
    // The first sample now, not one interval later: a window opening with the studio shows figures at once.
    void this.timedTick();
    this.track(this.endpoint.apply()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.offlineTimer) clearInterval(this.offlineTimer);
    this.offlineTimer = null;
    // The sample in flight still writes the ring, the minute rollup and the alert history: let it finish before
    // the host closes the database under it.
    if (this.inflight) await this.inflight.catch(() => null);
    await this.idle();
    await this.reader.stopGpuStream();
    for (const rollup of [this.rollup, ...this.hostRollups.values()]) {
      try {
        rollup.flush(this.now());
      } catch (e) {
        this.deps.logError('monitor: the last minute could not be saved', e);
      }
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

  /** The GPU reader's process, for tests and the bench (null when not streaming). */
  get gpuReader(): NvidiaStream | null {
    return this.reader.gpuReader;
  }

  /** Reads every sensor once (and nvidia-smi once, in parallel). */
  takeSample(): Promise<MonitorSample> {
    return this.reader.takeSample();
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
      for (const ev of this.rules.evaluate(s.readings, s.at)) this.track(this.alerting.onRuleEvent(ev, ev.rule.host === ANY_HOST ? this.localName : null, ev.series));
      this.deps.emit('monitor.sample', s);
      return s;
    } finally {
      this.busy = false;
    }
  }

  /** The newest sample; a process that is not sampling reads the hardware now (twice, so rates exist). */
  async current(host?: string): Promise<MonitorSample> {
    if (host !== undefined) return this.labSample(host);
    if (this.running && this.latest) return this.latest;
    if (this.running && this.inflight) {
      const first = await this.inflight.catch(() => null);
      if (first) return first;
    }
    if (!this.reader.hasBaseline) {
      await this.reader.prime();
      await new Promise((r) => setTimeout(r, 250));
    }
    const s = await this.takeSample();
    this.latest = s;
    return s;
  }

  getHistory(series: string[], rangeSec: number, host?: string): MonitorHistory {
    const since = this.now() - rangeSec * 1000;
    if (host !== undefined) {
      // Up to an hour: the host's samples in memory, in its own clock, so "since" counts back from its newest.
      // Longer: its minute averages, kept by the studio's clock as the samples arrived.
      const newest = this.labSample(host).at;
      const rollup = rangeSec * 1000 <= HOUR_MS ? null : this.hostRollups.get(host);
      rollup?.flush(this.now());
      const out: MonitorHistory = { resolution: rollup ? 'minute' : 'sample', series: [] };
      for (const id of series) {
        const s = rollup ? rollup.series(id, since) : this.lab.samples.series(host, id, newest - rangeSec * 1000);
        if (s) out.series.push({ id, ...s });
      }
      return out;
    }
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

  // ---- lab hosts -------------------------------------------------------------------------------------------

  /** Seconds without a sample before a lab host counts as offline. */
  private offlineMs(): number {
    const fromEnv = Number(this.deps.env.CHURCH_LAB_OFFLINE_MS);
    if (fromEnv > 0) return fromEnv;
    return this.deps.hostOfflineMs?.() ?? HOST_OFFLINE_SEC_DEFAULT * 1000;
  }

  /**
   * A lab host's sample (its agent's signed message, or a scraped node_exporter): kept with a short history, the
   * rules that watch that host evaluated, the UI told. Never throws: one host's bad sample must not stop the rest.
   */
  ingestHostSample(host: string, sample: MonitorSample): boolean {
    try {
      const r = this.lab.ingest(host, sample, this.now());
      if (!r.accepted) return false;
      if (!this.closed) {
        let rollup = this.hostRollups.get(host);
        if (!rollup) this.hostRollups.set(host, (rollup = new MinuteRollup(this.deps.db, labHostSeriesPrefix(host))));
        rollup.add(this.now(), sample.readings);
      }
      if (r.back) this.track(this.alerting.hostBack(host));
      for (const ev of r.events) this.track(this.alerting.onRuleEvent(ev, host, `${host}/${ev.series}`));
      this.deps.emit('monitor.hostSample', { host, sample });
      return true;
    } catch (e) {
      this.deps.logError(`monitor: a sample from lab host ${host} could not be used`, e);
      return false;
    }
  }

  /** Raises "host offline" for lab hosts silent past the offline time. Every second once started; tests call it. */
  checkOffline(): void {
    const offlineMs = this.offlineMs();
    for (const h of this.lab.newlyOffline(this.now(), offlineMs)) this.track(this.alerting.hostOffline(h.host, h.lastSeen, offlineMs));
  }

  /** This machine first, then every lab host that reported, with the overview's figures. */
  hosts(): MonitorHost[] {
    const local: MonitorHost = {
      host: null,
      label: this.localName.replace(/^t/, 'T'),
      state: this.latest ? 'online' : 'waiting',
      lastSeen: this.latest?.at ?? null,
      summary: this.latest ? summarizeSample(this.latest) : null,
    };
    return [local, ...this.lab.list(this.now(), this.offlineMs())];
  }

  private labSample(host: string): MonitorSample {
    const s = this.lab.samples.latest(host);
    if (!s) throw new ChurchError('NOT_FOUND', `no samples from the lab host "${host}" have reached the studio; check that its agent runs (church agent) with the lab's secret`);
    return s;
  }

  // ---- alerts ----------------------------------------------------------------------------------------------

  alerts(limit: number): AlertRecord[] {
    return this.history.recent(limit);
  }

  /** The kill switch's alert step (and anything else that must reach the owner): every channel, one summary line. */
  broadcastAlert(title: string, body: string): Promise<string> {
    return this.track(this.alerting.deliver({ kind: 'broadcast', level: 'critical', title, body, alertId: null }, { broadcast: true }));
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
    this.rules.setRules(this.localRules());
    this.lab.setRules(this.settingsData.rules);
    if (this.running) this.history.closeExcept(this.settingsData.rules.filter((r) => r.enabled).map((r) => r.id), this.now());
    if (this.running && prev.intervalMs !== this.settingsData.intervalMs) {
      this.schedule();
      // The loop period is an argument of the process: a new interval needs a new one.
      await this.reader.stopGpuStream();
      if (this.running) this.reader.startGpuStream(this.settingsData.intervalMs);
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
    const r = await this.alerting.sendMail('Test e-mail', 'This is a test of the alert e-mail. If you can read it, the hardware monitor can reach you.');
    this.deps.audit.write({ actor: 'system', action: 'monitor.testEmail', input: { to: this.settingsData.smtp.to, result: r.message }, ok: r.sent, errorCode: r.sent ? null : 'EXTERNAL' });
    return r;
  }

  // ---- Prometheus ------------------------------------------------------------------------------------------

  /** The newest sample in Prometheus text format (what GET /metrics answers). */
  metricsText(): Promise<string> {
    return this.exposition.render(this.latest);
  }
}
