import { create } from 'zustand';
import type { AlertRecord, MonitorHistory, MonitorSample, MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useToasts } from '../../app/stores/toasts';
import { call, subscribe } from '../../lib/api';

export type RangeKey = '5m' | '15m' | '1h' | '24h' | '7d';
export const RANGES: Record<RangeKey, number> = { '5m': 300, '15m': 900, '1h': 3600, '24h': 86_400, '7d': 7 * 86_400 };

/** Points per series for the charts: [ms, value|null], oldest first. */
export type SeriesPoints = Map<string, [number, number | null][]>;

interface MonitorState {
  latest: MonitorSample | null;
  range: RangeKey;
  history: SeriesPoints;
  resolution: MonitorHistory['resolution'];
  alerts: AlertRecord[];
  settings: MonitorSettingsView | null;
  error: string | null;
  loadCurrent(): Promise<void>;
  loadHistory(series: string[]): Promise<void>;
  setRange(r: RangeKey): void;
  loadAlerts(): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(s: MonitorSettingsData): Promise<boolean>;
  setPassword(p: string | null): Promise<void>;
  setPrometheusToken(t: string | null): Promise<void>;
  testEmail(): Promise<{ sent: boolean; message: string } | null>;
}

export const useMonitor = create<MonitorState>((set, get) => ({
  latest: null,
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
  loadHistory: async (series) => {
    if (!series.length) return;
    try {
      const h = await call('monitor.history', { series: series.slice(0, 64), rangeSec: RANGES[get().range] }, { quiet: true });
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
}));

/** Appends a live sample to the chart series (sample resolution only), dropping points older than the range. */
function appendLive(s: MonitorSample): void {
  const { history, range, resolution } = useMonitor.getState();
  if (resolution !== 'sample' || history.size === 0) return useMonitor.setState({ latest: s });
  const since = s.at - RANGES[range] * 1000;
  const next: SeriesPoints = new Map();
  const values = new Map(s.readings.map((r) => [r.id, r.value]));
  for (const [id, pts] of history) {
    const kept = pts.length && pts[0]![0] < since ? pts.filter((p) => p[0] >= since) : pts.slice();
    if (!kept.length || kept[kept.length - 1]![0] < s.at) kept.push([s.at, values.get(id) ?? null]);
    next.set(id, kept);
  }
  useMonitor.setState({ latest: s, history: next });
}

let subscribers = 0;
let unsubscribe: (() => void) | null = null;

/** One event subscription however many components (screen, status bar) want live samples. */
export function subscribeMonitor(): () => void {
  if (subscribers++ === 0) {
    const offSample = subscribe('monitor.sample', appendLive);
    // In browser mode there is no desktop notification: the alert shows as a toast (the desktop app shows both).
    const offAlert = subscribe('monitor.alert', (a) => {
      void useMonitor.getState().loadAlerts();
      useToasts.getState().push({ level: a.kind === 'cleared' ? 'success' : a.level === 'critical' ? 'error' : 'warning', message: a.title, hint: a.body });
    });
    unsubscribe = () => {
      offSample();
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
