import { create } from 'zustand';
import type { AlertRecord, HostSampleEvent, MonitorHistory, MonitorHost, MonitorSample, MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import type { ChannelTestResult, PushChannelName } from '../../../../shared/dto/alertChannels';
import { useToasts } from '../../lib/stores/toasts';
import { call, subscribe } from '../../lib/api';

export type RangeKey = '5m' | '15m' | '1h' | '24h' | '7d';
export const RANGES: Record<RangeKey, number> = { '5m': 300, '15m': 900, '1h': 3600, '24h': 86_400, '7d': 7 * 86_400 };

/** Points per series for the charts: [ms, value|null], oldest first. */
export type SeriesPoints = Map<string, [number, number | null][]>;

interface MonitorState {
  /** This machine's newest sample (the status bar's too). */
  latest: MonitorSample | null;
  /** The host the screen shows: null = this machine, else a lab host's name. */
  host: string | null;
  /** The picked lab host's newest sample (null while this machine is shown). */
  hostSample: MonitorSample | null;
  /** This machine and every lab host, with the overview's figures. */
  hosts: MonitorHost[];
  range: RangeKey;
  history: SeriesPoints;
  resolution: MonitorHistory['resolution'];
  alerts: AlertRecord[];
  settings: MonitorSettingsView | null;
  error: string | null;
  loadCurrent(): Promise<void>;
  loadHosts(): Promise<void>;
  pickHost(host: string | null): Promise<void>;
  loadHistory(series: string[]): Promise<void>;
  setRange(r: RangeKey): void;
  loadAlerts(): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(s: MonitorSettingsData): Promise<boolean>;
  setPassword(p: string | null): Promise<void>;
  setPrometheusToken(t: string | null): Promise<void>;
  testEmail(): Promise<{ sent: boolean; message: string } | null>;
  setChannelSecret(channel: PushChannelName, secret: string | null): Promise<void>;
  testChannel(channel: PushChannelName): Promise<ChannelTestResult | null>;
}

export const useMonitor = create<MonitorState>((set, get) => ({
  latest: null,
  host: null,
  hostSample: null,
  hosts: [],
  range: '15m',
  history: new Map(),
  resolution: 'sample',
  alerts: [],
  settings: null,
  error: null,
  loadCurrent: async () => {
    try {
      set({ latest: await call('monitor.current', {}, { quiet: true }), error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  loadHosts: async () => {
    try {
      set({ hosts: await call('monitor.hosts', {}, { quiet: true }) });
    } catch {
      // the picker keeps the hosts it had
    }
  },
  pickHost: async (host) => {
    set({ host, hostSample: null, history: new Map() });
    if (host === null) return;
    try {
      const sample = await call('monitor.current', { host }, { quiet: true });
      if (get().host === host) set({ hostSample: sample, error: null });
    } catch (e) {
      if (get().host === host) set({ error: (e as Error).message });
    }
  },
  loadHistory: async (series) => {
    if (!series.length) return;
    const host = get().host;
    try {
      const h = await call('monitor.history', { series: series.slice(0, 64), rangeSec: RANGES[get().range], ...(host === null ? {} : { host }) }, { quiet: true });
      if (get().host !== host) return;
      set({ history: new Map(h.series.map((s) => [s.id, s.points])), resolution: h.resolution });
    } catch {
      // the charts stay as they were; the cards still update live
    }
  },
  setRange: (range) => set({ range }),
  loadAlerts: async () => {
    try {
      set({ alerts: await call('monitor.alerts', { limit: 100 }, { quiet: true }) });
    } catch {
      // shown as an empty history
    }
  },
  loadSettings: async () => {
    try {
      set({ settings: await call('monitor.getSettings', {}, { quiet: true }) });
    } catch {
      // the settings section says it cannot load
    }
  },
  saveSettings: async (settings) => {
    try {
      set({ settings: await call('monitor.setSettings', { settings }) });
      return true;
    } catch {
      return false;
    }
  },
  setPrometheusToken: async (token) => {
    try {
      set({ settings: await call('monitor.setPrometheusToken', { token }) });
    } catch {
      // call() showed the reason
    }
  },
  setPassword: async (password) => {
    try {
      set({ settings: await call('monitor.setSmtpPassword', { password }) });
    } catch {
      // call() showed the reason
    }
  },
  testEmail: async () => {
    try {
      return await call('monitor.testEmail', {});
    } catch {
      return null;
    }
  },
  setChannelSecret: async (channel, secret) => {
    try {
      set({ settings: await call('monitor.setChannelSecret', { channel, secret }) });
    } catch {
      // call() showed the reason
    }
  },
  testChannel: async (channel) => {
    try {
      return await call('monitor.testChannel', { channel });
    } catch {
      return null;
    }
  },
}));

/** The chart series with a live sample appended (sample resolution only), points older than the range dropped. */
function withSample(history: SeriesPoints, s: MonitorSample, range: RangeKey): SeriesPoints {
  const since = s.at - RANGES[range] * 1000;
  const next: SeriesPoints = new Map();
  const values = new Map(s.readings.map((r) => [r.id, r.value]));
  for (const [id, pts] of history) {
    const kept = pts.length && pts[0]![0] < since ? pts.filter((p) => p[0] >= since) : pts.slice();
    if (!kept.length || kept[kept.length - 1]![0] < s.at) kept.push([s.at, values.get(id) ?? null]);
    next.set(id, kept);
  }
  return next;
}

/** This machine's live sample: the status bar always, the charts while this machine is shown. */
function appendLive(s: MonitorSample): void {
  const { history, range, resolution, host } = useMonitor.getState();
  if (host !== null || resolution !== 'sample' || history.size === 0) return useMonitor.setState({ latest: s });
  useMonitor.setState({ latest: s, history: withSample(history, s, range) });
}

/** A lab host's live sample: the charts and cards when it is the one shown. */
function appendHostSample(e: HostSampleEvent): void {
  const { history, range, resolution, host } = useMonitor.getState();
  if (e.host !== host) return;
  if (resolution !== 'sample' || history.size === 0) return useMonitor.setState({ hostSample: e.sample });
  useMonitor.setState({ hostSample: e.sample, history: withSample(history, e.sample, range) });
}

let subscribers = 0;
let unsubscribe: (() => void) | null = null;

/** One event subscription however many components (screen, status bar) want live samples. */
export function subscribeMonitor(): () => void {
  if (subscribers++ === 0) {
    const offSample = subscribe('monitor.sample', appendLive);
    const offHostSample = subscribe('monitor.hostSample', appendHostSample);
    // In browser mode there is no desktop notification: the alert shows as a toast (the desktop app shows both).
    const offAlert = subscribe('monitor.alert', (a) => {
      void useMonitor.getState().loadAlerts();
      useToasts.getState().push({ level: a.kind === 'cleared' ? 'success' : a.level === 'critical' ? 'error' : 'warning', message: a.title, hint: a.body });
    });
    unsubscribe = () => {
      offSample();
      offHostSample();
      offAlert();
    };
  }
  return () => {
    if (--subscribers === 0) {
      unsubscribe?.();
      unsubscribe = null;
    }
  };
}
