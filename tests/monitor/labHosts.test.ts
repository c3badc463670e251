import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import type { HostSampleEvent, MonitorAlertEvent, MonitorRule, MonitorSample, Reading } from '../../shared/dto/monitor';
import { readMonitorSettings, SETTINGS_KEY } from '../../electron/domains/monitor';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';

function sample(at: number, v: { cpuC: number; memPct: number; diskPct?: number }): MonitorSample {
  const readings: Reading[] = [
    { id: 'cpu.load', family: 'cpu.load', label: 'CPU load', unit: '%', value: 12 },
    { id: 'cpu.temp:coretemp_0/temp1', family: 'cpu.temp', label: 'CPU Package', unit: '°C', value: v.cpuC },
    { id: 'mem.used_pct', family: 'mem.used_pct', label: 'Memory used', unit: '%', value: v.memPct },
    { id: 'disk.used_pct:/srv', family: 'disk.used_pct', label: 'Disk /srv used', unit: '%', value: v.diskPct ?? 40 },
    { id: 'load.1', family: 'load.1', label: 'Load (1 min)', unit: '', value: 0.5 },
  ];
  return {
    at,
    platform: 'linux',
    source: 'linux-procfs',
    cpu: { totalPct: 12, coresPct: [12] },
    temps: [],
    fans: [],
    memory: { totalBytes: 1, availableBytes: 1, usedPct: v.memPct, swapTotalBytes: null, swapFreeBytes: null, swapUsedPct: null },
    disks: [],
    diskIo: [],
    net: [],
    load: { one: 0.5, five: 0.5, fifteen: 0.5 },
    uptimeSec: 100,
    gpus: [],
    unavailable: [],
    readings,
    costMs: 0.1,
  };
}

const rule = (id: string, over: Partial<MonitorRule>): MonitorRule => ({ id, enabled: true, family: 'cpu.temp', match: '', warn: 80, critical: null, forSec: 0, hysteresis: 2, killSwitchAfterSec: null, ...over });

describe('lab hosts in the monitor: samples per host, per-host and any-host rules, host offline', () => {
  it('keeps each host\'s samples, fires a host rule for that host only, an any-host rule once per host naming it, and raises/clears "host offline" after the configured time', async () => {
    const f = FixtureTree.healthy();
    let t = 1_700_000_000_000;
    const alerts: MonitorAlertEvent[] = [];
    const hostSamples: HostSampleEvent[] = [];
    const m = makeFixtureMonitor(f.root, {
      now: () => t,
      // The lab's one offline setting (Settings → Lab → "Host offline after (s)") reaches the monitor as this.
      hostOfflineMs: () => 5000,
      emit: (name, payload) => {
        if (name === 'monitor.alert') alerts.push(payload as MonitorAlertEvent);
        if (name === 'monitor.hostSample') hostSamples.push(payload as HostSampleEvent);
      },
    });
    await m.monitor.setSettings({
      ...DEFAULT_MONITOR_SETTINGS,
      desktopNotifications: true,
      rules: [
        rule('this-cpu', { warn: 10 }), // this machine only (no host): must never fire for a lab host
        rule('gpu-box-cpu', { host: 'gpu-box' }),
        rule('any-mem', { host: '*', family: 'mem.used_pct', warn: 90 }),
      ],
    });
    const feed = async (host: string, v: Parameters<typeof sample>[1]) => {
      const ok = m.monitor.ingestHostSample(host, sample(t, v));
      await m.monitor.idle();
      return ok;
    };

    expect(await feed('gpu-box', { cpuC: 85, memPct: 50 })).toBe(true);
    expect(await feed('nas', { cpuC: 85, memPct: 50 })).toBe(true);
    expect(alerts.map((a) => a.title)).toEqual(['WARNING: gpu-box: CPU Package at 85.0 °C']);
    expect(hostSamples.map((h) => h.host)).toEqual(['gpu-box', 'nas']);

    t += 1000;
    await feed('gpu-box', { cpuC: 70, memPct: 95 });
    await feed('nas', { cpuC: 85, memPct: 96 });
    expect(alerts.slice(1).map((a) => a.title)).toEqual([
      'Cleared: gpu-box: CPU Package back to 70.0 °C',
      'WARNING: gpu-box: Memory used at 95.0 %',
      'WARNING: nas: Memory used at 96.0 %',
    ]);
    // Episodes are per host in the history, each naming its host.
    const open = m.monitor.alerts(10).filter((a) => a.clearedAt === null);
    expect(open.map((a) => [a.ruleId, a.series, a.label]).sort()).toEqual([
      ['any-mem', 'gpu-box/mem.used_pct', 'gpu-box: Memory used'],
      ['any-mem', 'nas/mem.used_pct', 'nas: Memory used'],
    ]);

    // An older (or repeated) sample is not taken.
    expect(m.monitor.ingestHostSample('nas', sample(t - 5000, { cpuC: 20, memPct: 20 }))).toBe(false);

    // Picker and overview: this machine first, then the lab hosts with their figures.
    const hosts = m.monitor.hosts();
    expect(hosts.map((h) => [h.host, h.state])).toEqual([[null, 'waiting'], ['gpu-box', 'online'], ['nas', 'online']]);
    expect(hosts[2]!.summary).toMatchObject({ cpuTempC: 85, memUsedPct: 96, diskUsedPct: 40, diskMount: '/srv', load1: 0.5, cpuLoadPct: 12 });
    expect((await m.monitor.current('nas')).readings.find((r) => r.family === 'mem.used_pct')?.value).toBe(96);
    const h = m.monitor.getHistory(['cpu.temp:coretemp_0/temp1'], 300, 'gpu-box');
    expect(h.series[0]!.points.map((p) => p[1])).toEqual([85, 70]);
    await expect(m.monitor.current('ghost')).rejects.toThrow(/no samples from the lab host "ghost"/);

    // nas goes silent; gpu-box keeps reporting. After the configured 5 s: one "host offline" alert for nas.
    const before = alerts.length;
    for (let i = 0; i < 6; i++) {
      t += 1000;
      await feed('gpu-box', { cpuC: 70, memPct: 95 });
      m.monitor.checkOffline();
      await m.monitor.idle();
    }
    expect(alerts.slice(before).map((a) => a.title)).toEqual(['Lab host offline: nas']);
    expect(m.monitor.hosts().find((x) => x.host === 'nas')?.state).toBe('offline');
    m.monitor.checkOffline();
    await m.monitor.idle();
    expect(alerts.length).toBe(before + 1);
    // It reports again: the episode clears.
    await feed('nas', { cpuC: 50, memPct: 50 });
    expect(alerts.slice(before + 1).map((a) => a.title)).toEqual(['Cleared: lab host nas reports again', 'Cleared: nas: Memory used back to 50.0 %']);
    expect(m.monitor.alerts(20).find((a) => a.ruleId === 'host-offline')).toMatchObject({ series: 'host:nas', level: 'critical' });
    expect(m.monitor.alerts(20).find((a) => a.ruleId === 'host-offline')?.clearedAt).not.toBeNull();
    await m.close();
  });

  it('keeps a lab host\'s minute averages in SQLite apart from this machine\'s: its 24 h chart has them, also after a restart', async () => {
    const f = FixtureTree.healthy();
    let t = Date.UTC(2026, 0, 1, 12, 0, 0);
    const m = makeFixtureMonitor(f.root, { now: () => t });
    const id = 'cpu.temp:coretemp_0/temp1';
    // Three minutes of an agent's 2 s samples, 80 and 90 °C in turn: each minute averages 85.
    for (let i = 0; i < 90; i++) {
      expect(m.monitor.ingestHostSample('nas', sample(t, { cpuC: i % 2 ? 90 : 80, memPct: 50 }))).toBe(true);
      t += 2000;
    }
    const day = m.monitor.getHistory([id, 'mem.used_pct'], 86_400, 'nas');
    expect(day.resolution).toBe('minute');
    expect(day.series.map((x) => x.id)).toEqual([id, 'mem.used_pct']);
    expect(day.series[0]!.points).toEqual([[t - 180_000, 85], [t - 120_000, 85], [t - 60_000, 85]]);
    expect(day.series[0]!.label).toBe('CPU Package');
    // An hour or less: the samples themselves.
    const hour = m.monitor.getHistory([id], 3600, 'nas');
    expect(hour.resolution).toBe('sample');
    expect(hour.series[0]!.points).toHaveLength(90);
    // This machine's charts do not see the host's series.
    expect(m.monitor.getHistory([id], 86_400).series).toEqual([]);

    // The studio restarts on the same database; once the host reports again, its day is there.
    await m.monitor.close();
    const again = makeFixtureMonitor(f.root, { now: () => t, db: m.db });
    try {
      expect(again.monitor.ingestHostSample('nas', sample(t, { cpuC: 60, memPct: 50 }))).toBe(true);
      const after = again.monitor.getHistory([id], 86_400, 'nas');
      expect(after.series[0]!.points.map((p) => p[1])).toEqual([85, 85, 85, 60]);
    } finally {
      await again.close();
      m.db.close();
    }
  });

  it('settings saved with the old Monitor-section "Lab host offline after" keep their rules (the field is dropped)', async () => {
    const f = FixtureTree.healthy({ pkgC: 50 });
    const m = makeFixtureMonitor(f.root);
    try {
      const saved = { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 2500, rules: [rule('gpu-box-cpu', { host: 'gpu-box' })] };
      m.settings.set(SETTINGS_KEY, z.unknown(), { ...saved, hostOfflineSec: 3 });
      expect(readMonitorSettings(m.settings)).toEqual(saved);
    } finally {
      await m.close();
    }
  });
});
