import { hostname } from 'node:os';
import { ANY_HOST, ruleWatchesHost, summarizeSample, type AlertRecord, type HostSampleEvent, type MonitorAlertEvent, type MonitorHistory, type MonitorHost, type MonitorSample, type MonitorSettingsData, type MonitorSettingsView } from '../../../shared/dto/monitor';
import { ChurchError } from '../../../shared/errors';
import type { AuditLog } from '../../platform/audit';
import type { Db } from '../../platform/db';
import type { SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';
import { Alerting, pushAlert } from './alerting';
import type { ChannelTestResult, PushChannelName } from '../../../shared/dto/alertChannels';
import { CHANNEL_LABELS } from './channels/channelSecrets';
import { pushTo, type PushDeps } from './channels/pushChannels';
import { HardwareReader } from './hardwareReader';
import type { HostSampleSource } from './hostSampleSource';
import type { StatFs } from './linux/LinuxSampler';
import { LocalSampling } from './localSampling';
import { MonitorSecrets, smtpMovedNote } from './monitorSecrets';
import { readMonitorSettings, writeMonitorSettings } from './monitorSettings';
import type { NvidiaStream } from './nvidiaStream';
import { PrometheusEndpoint } from './prometheusEndpoint';
import { MetricsExposition } from './prometheus';
import { RemoteHosts } from './remoteHosts';
import { RuleEngine } from './rules';
import type { Sampler } from './sampler';
import { AlertHistory, migrateMonitor } from './store';

/** A lab host silent this long is offline where no lab service says otherwise (CHURCH_LAB_OFFLINE_MS still wins). */
const HOST_OFFLINE_SEC_DEFAULT = 15;

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
  /** Tests: how long a push channel may take before it counts as down (PUSH_TIMEOUT_MS otherwise). */
  pushTimeoutMs?: number;
}

/**
 * The hardware monitor: samples this machine (LocalSampling) and takes other hosts' samples (RemoteHosts, fed by
 * registered sources), evaluates the alert rules and sends alerts to the desktop, e-mail and the audit log
 * (Alerting), and optionally serves the figures to Prometheus on 127.0.0.1 (PrometheusEndpoint).
 */
export class Monitor {
  private readonly reader: HardwareReader;
  private readonly local: LocalSampling;
  private readonly remote: RemoteHosts;
  private readonly history: AlertHistory;
  private readonly rules: RuleEngine;
  private readonly alerting: Alerting;
  private readonly sources: HostSampleSource[] = [];
  private readonly metricsSources: (() => Promise<string>)[] = [];
  private offlineTimer: NodeJS.Timeout | null = null;
  // Built on the first scrape: prom-client is loaded only when the Prometheus endpoint is used.
  private expositionInstance: MetricsExposition | null = null;
  private get exposition(): MetricsExposition {
    return (this.expositionInstance ??= new MetricsExposition());
  }
  private readonly now: () => number;
  private settingsData: MonitorSettingsData;
  private readonly endpoint: PrometheusEndpoint;
  private readonly secrets: MonitorSecrets;
  /** Alert deliveries, kill-switch calls and endpoint starts/stops in flight (see idle). */
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;
  /** What an "any host" alert calls this machine. */
  private readonly localName = `this machine (${hostname()})`;

  constructor(private readonly deps: MonitorDeps) {
    migrateMonitor(deps.db);
    this.now = deps.now ?? Date.now;
    this.history = new AlertHistory(deps.db);
    this.settingsData = readMonitorSettings(deps.settings);
    this.secrets = new MonitorSecrets(deps.secrets, deps.settings);
    this.rules = new RuleEngine(this.localRules());
    this.reader = new HardwareReader({ env: deps.env, logError: deps.logError, sampler: deps.sampler, root: deps.root, statfs: deps.statfs, now: this.now });
    this.alerting = new Alerting({
      history: this.history,
      audit: deps.audit,
      smtpPassword: () => this.secrets.smtpPassword(this.settingsData.smtp),
      settings: () => this.settingsData,
      emit: (ev) => deps.emit('monitor.alert', ev),
      logError: deps.logError,
      triggerKillSwitch: deps.triggerKillSwitch,
      pauseJobs: deps.pauseJobs,
      now: this.now,
      smtpAllowSelfSigned: deps.smtpAllowSelfSigned,
      push: this.pushDeps(),
    });
    this.local = new LocalSampling({ db: deps.db, reader: this.reader, now: this.now, logError: deps.logError, onSample: (s) => this.onLocalSample(s) });
    this.remote = new RemoteHosts({
      db: deps.db,
      alerting: this.alerting,
      track: (p) => void this.track(p),
      emit: (ev) => deps.emit('monitor.hostSample', ev),
      now: this.now,
      logError: deps.logError,
      offlineMs: () => this.offlineMs(),
      closed: () => this.closed,
    });
    this.remote.setRules(this.settingsData.rules);
    this.endpoint = new PrometheusEndpoint({
      settings: () => this.settingsData.prometheus,
      token: () => this.secrets.prometheusToken(this.settingsData.prometheus),
      render: () => this.metricsText(),
      contentType: () => this.exposition.registry.contentType,
      logError: deps.logError,
    });
  }

  private pushDeps(): PushDeps {
    return {
      channels: () => this.settingsData.channels,
      secret: (ch) => this.secrets.channelSecret(ch, this.settingsData.channels),
      ...(this.deps.pushTimeoutMs ? { timeoutMs: this.deps.pushTimeoutMs } : {}),
    };
  }

  private localRules() {
    return this.settingsData.rules.filter((r) => ruleWatchesHost(r, null));
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Primary process only: the sampling timer, the registered sources and (when enabled) the Prometheus endpoint. */
  start(): void {
    if (this.local.running || this.closed) return;
    this.history.closeDangling(this.now());
    this.local.start(this.settingsData.intervalMs);
    this.offlineTimer = setInterval(() => this.checkOffline(), 1000);
    this.offlineTimer.unref();
    this.local.firstTick();
    this.track(this.endpoint.apply()).catch(() => undefined);
    for (const s of this.sources) s.start?.();
  }

  /**
   * Registers a source of other hosts' samples (a plug-in such as the lab); it may deliver at once, and it
   * starts and closes with the monitor.
   */
  addHostSampleSource(source: HostSampleSource): void {
    this.sources.push(source);
    source.connect((host, sample) => void this.ingestHostSample(host, sample));
  }

  async close(): Promise<void> {
    for (const s of this.sources) s.close?.();
    this.closed = true;
    if (this.offlineTimer) clearInterval(this.offlineTimer);
    this.offlineTimer = null;
    // The sample in flight still writes the ring, the minute rollup and the alert history: let it finish before
    // the host closes the database under it.
    await this.local.stop();
    await this.idle();
    await this.reader.stopGpuStream();
    for (const flush of [() => this.local.flush(), ...this.remote.rollupsToFlush().map((r) => () => r.flush(this.now()))]) {
      try {
        flush();
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
    return this.local.running;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  // ---- this machine ----------------------------------------------------------------------------------------

  /** The GPU reader's process, for tests and the bench (null when not streaming). */
  get gpuReader(): NvidiaStream | null {
    return this.reader.gpuReader;
  }

  /** Reads every sensor once (and nvidia-smi once, in parallel). */
  takeSample(): Promise<MonitorSample> {
    return this.reader.takeSample();
  }

  /** One full cycle: sample, remember, evaluate the rules, publish. Called by the timer; tests call it directly. */
  tick(): Promise<MonitorSample> {
    return this.local.tick();
  }

  private onLocalSample(s: MonitorSample): void {
    for (const ev of this.rules.evaluate(s.readings, s.at)) this.track(this.alerting.onRuleEvent(ev, ev.rule.host === ANY_HOST ? this.localName : null, ev.series));
    this.deps.emit('monitor.sample', s);
  }

  /** The newest sample (of a lab host when named); a process that is not sampling reads the hardware now. */
  async current(host?: string): Promise<MonitorSample> {
    if (host !== undefined) return this.remote.latest(host);
    return this.local.current();
  }

  getHistory(series: string[], rangeSec: number, host?: string): MonitorHistory {
    return host !== undefined ? this.remote.history(host, series, rangeSec) : this.local.history(series, rangeSec);
  }

  // ---- lab hosts -------------------------------------------------------------------------------------------

  /** Milliseconds without a sample before a lab host counts as offline. */
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
    return this.remote.ingest(host, sample);
  }

  /** Raises "host offline" for lab hosts silent past the offline time. Every second once started; tests call it. */
  checkOffline(): void {
    this.remote.checkOffline();
  }

  /** This machine first, then every lab host that reported, with the overview's figures. */
  hosts(): MonitorHost[] {
    const latest = this.local.latest;
    const local: MonitorHost = {
      host: null,
      label: this.localName.replace(/^t/, 'T'),
      state: latest ? 'online' : 'waiting',
      lastSeen: latest?.at ?? null,
      summary: latest ? summarizeSample(latest) : null,
    };
    return [local, ...this.remote.list()];
  }

  // ---- alerts ----------------------------------------------------------------------------------------------

  alerts(limit: number): AlertRecord[] {
    return this.history.recent(limit);
  }

  /** The kill switch's alert step (and anything else that must reach the owner): every channel, one summary line. */
  broadcastAlert(title: string, body: string): Promise<string> {
    return this.track(this.alerting.deliver({ kind: 'broadcast', level: 'critical', title, body, alertId: null }, { broadcast: true }));
  }

  async testEmail(): Promise<{ sent: boolean; message: string }> {
    const smtp = this.settingsData.smtp;
    if (!smtp.enabled) throw new ChurchError('UNAVAILABLE', 'e-mail alerts are off: enable them and save the SMTP settings first');
    if (smtp.user && this.secrets.smtpPassword(smtp).state === 'moved') throw new ChurchError('UNAVAILABLE', `no test e-mail was sent: ${smtpMovedNote(smtp)}`, { secret: 'moved' });
    const r = await this.alerting.sendMail('Test e-mail', 'This is a test of the alert e-mail. If you can read it, the hardware monitor can reach you.');
    this.deps.audit.write({ actor: 'system', action: 'monitor.testEmail', input: { to: this.settingsData.smtp.to, result: r.message }, ok: r.sent, errorCode: r.sent ? null : 'EXTERNAL' });
    return r;
  }

  /** One test alert through a push channel, with the saved settings (enabled or not, so it can be tried first). */
  async testChannel(channel: PushChannelName): Promise<ChannelTestResult> {
    const c = this.settingsData.channels;
    const where = channel === 'webhook' ? c.webhook.url : channel === 'ntfy' ? (c.ntfy.topic ? c.ntfy.server : '') : c.gotify.server;
    if (!where) throw new ChurchError('INVALID_INPUT', `nothing was sent: fill in and save the ${CHANNEL_LABELS[channel]} ${channel === 'ntfy' ? 'server and topic' : channel === 'webhook' ? 'URL' : 'server'} first (Settings → Monitor)`);
    const alert = pushAlert(
      { kind: 'fired', level: 'warn', title: 'Test alert', body: 'This is a test of the alert channel. If you can read it, the hardware monitor can reach you here.', alertId: null },
      this.now(),
      { rule: 'test' },
      null,
    );
    const r = await pushTo(channel, alert, this.pushDeps());
    this.deps.audit.write({ actor: 'system', action: 'monitor.testChannel', input: { channel, result: r.message }, ok: r.sent, errorCode: r.sent ? null : 'EXTERNAL' });
    return r;
  }

  setChannelSecret(channel: PushChannelName, secret: string | null): MonitorSettingsView {
    this.secrets.setChannelSecret(channel, this.settingsData.channels, secret);
    return this.getSettings();
  }

  // ---- settings --------------------------------------------------------------------------------------------

  getSettings(): MonitorSettingsView {
    return {
      ...this.settingsData,
      ...this.secrets.view(this.settingsData),
      channelSecrets: this.secrets.channelsView(this.settingsData.channels),
      prometheusUrl: this.endpoint.url(),
      sampling: this.local.running,
    };
  }

  async setSettings(data: MonitorSettingsData): Promise<MonitorSettingsView> {
    const prev = this.settingsData;
    const stored = readMonitorSettings(this.deps.settings);
    this.settingsData = writeMonitorSettings(this.deps.settings, data);
    // A new SMTP server or bind address: the secret entered for the old one is cleared, never sent there.
    this.secrets.follow(stored, this.settingsData);
    this.rules.setRules(this.localRules());
    this.remote.setRules(this.settingsData.rules);
    if (this.local.running) this.history.closeExcept(this.settingsData.rules.filter((r) => r.enabled).map((r) => r.id), this.now());
    if (this.local.running && prev.intervalMs !== this.settingsData.intervalMs) await this.local.setInterval(this.settingsData.intervalMs);
    if (this.local.running) await this.endpoint.apply();
    return this.getSettings();
  }

  setSmtpPassword(password: string | null): MonitorSettingsView {
    this.secrets.setSmtpPassword(this.settingsData.smtp, password);
    return this.getSettings();
  }

  /** Stores (or with null removes) the scrape token; an endpoint open to the LAN without one is stopped. */
  async setPrometheusToken(token: string | null): Promise<MonitorSettingsView> {
    this.secrets.setPrometheusToken(this.settingsData.prometheus, token);
    if (this.local.running) await this.endpoint.apply().catch(() => undefined);
    return this.getSettings();
  }

  // ---- Prometheus ------------------------------------------------------------------------------------------

  /** More figures for the endpoint, after the hardware's (the studio's own: StudioMetrics, fed by the host). */
  addMetricsSource(render: () => Promise<string>): void {
    this.metricsSources.push(render);
  }

  /**
   * The newest sample in Prometheus text format, then the registered sources (what GET /metrics answers). A
   * source that fails is left out and logged: the hardware figures still go out.
   */
  async metricsText(): Promise<string> {
    const parts = await Promise.all([
      this.exposition.render(this.local.latest),
      ...this.metricsSources.map((render) =>
        render().catch((e: unknown) => {
          this.deps.logError('monitor: some of the studio\'s metrics could not be read', e);
          return '';
        }),
      ),
    ]);
    return parts.filter(Boolean).map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('');
  }
}
