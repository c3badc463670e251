/** Data shapes of the hardware monitor. A value that could not be read is `null` with a reason, never 0. */
import type { AlertChannelsSettings, ChannelSecretsView } from './alertChannels';

export type TempKind = 'cpu-package' | 'cpu-core' | 'gpu' | 'thermal-zone' | 'other';

export interface TempSensor {
  /** Stable id, e.g. "coretemp_0/temp1" or "thermal/thermal_zone0". */
  id: string;
  /** node_exporter-style chip name (hwmon device) and sensor (temp1…). */
  chip: string;
  chipName: string;
  sensor: string;
  label: string;
  kind: TempKind;
  celsius: number | null;
  reason?: string;
}

export interface FanSensor {
  id: string;
  chip: string;
  chipName: string;
  sensor: string;
  label: string;
  rpm: number | null;
  reason?: string;
}

export interface CpuLoad {
  /** Busy share of all cores, 0–100 %, over the last sample interval. */
  totalPct: number | null;
  coresPct: (number | null)[];
  reason?: string;
  /** Cumulative seconds per cpu and mode since boot (Linux), for node_cpu_seconds_total. */
  times?: { cpu: string; mode: string; seconds: number }[];
}

export interface MemoryInfo {
  totalBytes: number | null;
  availableBytes: number | null;
  usedPct: number | null;
  swapTotalBytes: number | null;
  swapFreeBytes: number | null;
  /** Null when there is no swap at all (with a reason). */
  swapUsedPct: number | null;
  reason?: string;
}

export interface DiskUsage {
  mount: string;
  device: string;
  fsType: string;
  sizeBytes: number | null;
  availBytes: number | null;
  freeBytes: number | null;
  usedPct: number | null;
  reason?: string;
}

export interface DiskIo {
  device: string;
  readBps: number | null;
  writeBps: number | null;
  readBytesTotal: number;
  writtenBytesTotal: number;
}

export interface NetIo {
  iface: string;
  rxBps: number | null;
  txBps: number | null;
  rxBytesTotal: number;
  txBytesTotal: number;
}

export interface GpuInfo {
  index: number;
  name: string;
  uuid: string;
  tempC: number | null;
  utilPct: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  powerW: number | null;
  fanPct: number | null;
}

export type MetricFamily =
  | 'cpu.load'
  | 'cpu.core_load'
  | 'cpu.temp'
  | 'gpu.temp'
  | 'gpu.util'
  | 'gpu.mem_used_pct'
  | 'gpu.power'
  | 'temp.other'
  | 'fan.rpm'
  | 'mem.used_pct'
  | 'swap.used_pct'
  | 'disk.used_pct'
  | 'disk.read_bps'
  | 'disk.write_bps'
  | 'net.rx_bps'
  | 'net.tx_bps'
  | 'load.1'
  | 'uptime';

export const METRIC_FAMILIES: readonly MetricFamily[] = [
  'cpu.load',
  'cpu.core_load',
  'cpu.temp',
  'gpu.temp',
  'gpu.util',
  'gpu.mem_used_pct',
  'gpu.power',
  'temp.other',
  'fan.rpm',
  'mem.used_pct',
  'swap.used_pct',
  'disk.used_pct',
  'disk.read_bps',
  'disk.write_bps',
  'net.rx_bps',
  'net.tx_bps',
  'load.1',
  'uptime',
];

export type MetricUnit = '%' | '°C' | 'rpm' | 'B/s' | 'W' | '' | 's';

/** One series value in a sample: what charts, cards, rules and the minute averages work on. */
export interface Reading {
  /** Series id, e.g. "cpu.temp:coretemp_0/temp1", "disk.used_pct:/". */
  id: string;
  family: MetricFamily;
  label: string;
  unit: MetricUnit;
  value: number | null;
  reason?: string;
}

export interface MonitorSample {
  /** Milliseconds since the epoch. */
  at: number;
  platform: string;
  /** node-exporter: a lab host read from its Prometheus node_exporter (no agent there). */
  source: 'linux-procfs' | 'systeminformation' | 'node-exporter';
  cpu: CpuLoad;
  temps: TempSensor[];
  fans: FanSensor[];
  memory: MemoryInfo;
  disks: DiskUsage[];
  diskIo: DiskIo[];
  net: NetIo[];
  load: { one: number; five: number; fifteen: number } | null;
  uptimeSec: number | null;
  gpus: GpuInfo[];
  /** Sensors that are not there (or stopped answering), each with why. */
  unavailable: { sensor: string; reason: string }[];
  readings: Reading[];
  /** CPU time this sample cost the studio (ms, user + system, without child processes). */
  costMs: number;
}

export type AlertLevel = 'warn' | 'critical';

export interface MonitorRule {
  id: string;
  enabled: boolean;
  family: MetricFamily;
  /** Only series whose id contains this text (empty: every series of the family). */
  match: string;
  warn: number | null;
  critical: number | null;
  /** Seconds a level must hold before it fires. */
  forSec: number;
  /** How far below a level the value must fall before the level is left (no flapping). */
  hysteresis: number;
  /** Trigger the kill switch after the critical level has held this many seconds; null: never. */
  killSwitchAfterSec: number | null;
  /**
   * Pause the job queue (running encodes suspended, nothing new starts) when the critical level fires: for a disk
   * rule on the disk that holds the outputs, so encodes stop before they fill it. The owner resumes the queue.
   */
  pauseJobs?: boolean;
  /**
   * 'max': one episode per rule that follows the highest matching series (the package and every core of a 32-core
   * CPU are one heat event, not 33 mails); 'each': one episode per series (every disk on its own). Missing: 'max'
   * for CPU/GPU temperature, 'each' for everything else (see ruleAggregate).
   */
  aggregate?: RuleAggregate;
  /**
   * Which host the rule watches: missing = this machine (rules saved before the lab behave as before), '*' = any
   * host (this machine and every lab host, one episode per host that breaches, the host named in the alert), or
   * one lab host by its name.
   */
  host?: string;
}

/** rule.host for "any host". */
export const ANY_HOST = '*';

/** Whether a rule watches `host` (null = this machine). */
export function ruleWatchesHost(rule: Pick<MonitorRule, 'host'>, host: string | null): boolean {
  if (rule.host === ANY_HOST) return true;
  return host === null ? rule.host === undefined : rule.host === host;
}

export type RuleAggregate = 'max' | 'each';

/** The aggregation a rule uses, with the per-family default for rules saved before the setting existed. */
export function ruleAggregate(rule: Pick<MonitorRule, 'aggregate' | 'family'>): RuleAggregate {
  return rule.aggregate ?? (rule.family === 'cpu.temp' || rule.family === 'gpu.temp' ? 'max' : 'each');
}

export interface SmtpSettings {
  enabled: boolean;
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS, required whenever a user (a password) is sent. */
  secure: boolean;
  user: string;
  /**
   * Send the login over a plain connection when the server offers no STARTTLS: only for a trusted relay on the
   * LAN. Off (missing) by default: then the password is never sent unencrypted.
   */
  allowPlainAuth?: boolean;
  from: string;
  to: string[];
}

export interface MonitorSettingsData {
  intervalMs: number;
  desktopNotifications: boolean;
  rules: MonitorRule[];
  smtp: SmtpSettings;
  prometheus: PrometheusSettings;
  /** Webhook, ntfy and Gotify. */
  channels: AlertChannelsSettings;
}

export interface PrometheusSettings {
  enabled: boolean;
  port: number;
  /**
   * Where /metrics listens: '127.0.0.1' (default, this machine only), a LAN address of this machine, or '0.0.0.0'
   * / '::' (every interface). Anything but loopback needs the bearer token.
   */
  bindAddress?: string;
  /** Extra names the lab's Prometheus may use in its Host header (e.g. 'studio.lan'); others are refused. */
  hostNames?: string[];
}

export interface MonitorSettingsView extends MonitorSettingsData {
  smtpPasswordSet: boolean;
  /** Set when the SMTP server changed since the password was entered: it was cleared, enter it for the new one. */
  smtpPasswordNote: string | null;
  /** True when a bearer token for scrapes from other machines is stored (the token itself never leaves main). */
  prometheusTokenSet: boolean;
  /** Set when the bind address changed since the token was entered: it was cleared, enter one for the new address. */
  prometheusTokenNote: string | null;
  /** Where the Prometheus endpoint listens right now (null: off, or not the primary process). */
  prometheusUrl: string | null;
  /** True when this process runs the sampler (the primary one). */
  sampling: boolean;
  /** Each push channel's secret: stored or not (the value never leaves main). */
  channelSecrets: ChannelSecretsView;
}

export interface AlertRecord {
  id: number;
  ruleId: string;
  series: string;
  label: string;
  level: AlertLevel;
  /** Value when the episode started, and the peak seen during it. */
  value: number;
  peak: number;
  unit: MetricUnit;
  startedAt: number;
  clearedAt: number | null;
  killSwitchTriggered: boolean;
  /** Where the alert went ("desktop, e-mail to a@b, audit") or what failed. */
  delivery: string;
}

/** The event the desktop shell turns into a Notification (and the UI into a toast). */
export interface MonitorAlertEvent {
  kind: 'fired' | 'escalated' | 'cleared' | 'broadcast';
  level: AlertLevel | 'info';
  title: string;
  body: string;
  at: number;
  alertId: number | null;
}

export interface HistorySeries {
  id: string;
  label: string;
  unit: MetricUnit;
  /** [ms epoch, value] pairs, oldest first. */
  points: [number, number | null][];
}

export interface MonitorHistory {
  resolution: 'sample' | 'minute';
  series: HistorySeries[];
}

/** The few figures of one host the lab overview shows (from its newest sample; null: that host has no such sensor). */
export interface HostSummary {
  /** The hottest CPU sensor and the hottest GPU. */
  cpuTempC: number | null;
  gpuTempC: number | null;
  cpuLoadPct: number | null;
  load1: number | null;
  memUsedPct: number | null;
  /** The fullest disk, and its mount. */
  diskUsedPct: number | null;
  diskMount: string | null;
}

/** One host of the Monitor screen's picker and lab overview. */
export interface MonitorHost {
  /** null: this machine (the studio); otherwise the lab host's name. */
  host: string | null;
  /** What the UI calls it ("This machine (studio-pc)", "gpu-box"). */
  label: string;
  /** online: reported within the offline time; offline: silent longer; waiting: known, no sample yet. */
  state: 'online' | 'offline' | 'waiting';
  /** ms epoch of its newest sample (null: none yet). */
  lastSeen: number | null;
  summary: HostSummary | null;
}

/** A lab host's sample, as it reaches the studio (the monitor.hostSample event). */
export interface HostSampleEvent {
  host: string;
  sample: MonitorSample;
}

function maxOf(readings: Reading[], family: MetricFamily): Reading | null {
  let top: Reading | null = null;
  for (const r of readings) if (r.family === family && r.value !== null && (top === null || r.value > (top.value ?? -Infinity))) top = r;
  return top;
}

/** The overview's figures of a sample: hottest CPU/GPU, load, memory, the fullest disk. */
export function summarizeSample(s: MonitorSample): HostSummary {
  const one = (family: MetricFamily) => s.readings.find((r) => r.family === family)?.value ?? null;
  const disk = maxOf(s.readings, 'disk.used_pct');
  return {
    cpuTempC: maxOf(s.readings, 'cpu.temp')?.value ?? null,
    gpuTempC: maxOf(s.readings, 'gpu.temp')?.value ?? null,
    cpuLoadPct: one('cpu.load'),
    load1: one('load.1'),
    memUsedPct: one('mem.used_pct'),
    diskUsedPct: disk?.value ?? null,
    diskMount: disk ? disk.id.slice('disk.used_pct:'.length) : null,
  };
}
