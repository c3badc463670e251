import type { CpuLoad, DiskIo, DiskUsage, MonitorSample, NetIo, TempSensor } from '../../../../shared/dto/monitor';
import { DATA_FS, classifyTemp, isContainerInterface, isContainerMount, toReadings, type RawSample } from '../../monitor';
import type { NodeExporterPage } from './nodeExporterPage';

const FIRST = 'first reading: rates need two samples';
const IDLE_MODES = new Set(['idle', 'iowait']);

/** A page and when it was read, the baseline for the next page's rates. */
export interface ScrapedPage {
  page: NodeExporterPage;
  at: number;
}

function busyPct(prev: Map<string, number> | undefined, cur: Map<string, number>): number | null {
  if (!prev) return null;
  let total = 0;
  let idle = 0;
  for (const [mode, secs] of cur) {
    // guest time is already counted in user/nice by the kernel; node_exporter reports it under its own metric
    const d = secs - (prev.get(mode) ?? secs);
    total += d;
    if (IDLE_MODES.has(mode)) idle += d;
  }
  if (total <= 0) return null;
  return Math.round(Math.min(100, Math.max(0, ((total - idle) / total) * 100)) * 10) / 10;
}

function cpuLoad(prev: NodeExporterPage | null, cur: NodeExporterPage): CpuLoad {
  const cpus = [...cur.cpuSeconds.keys()].sort((a, b) => Number(a) - Number(b));
  if (!cpus.length) return { totalPct: null, coresPct: [], reason: 'the exporter reports no node_cpu_seconds_total (is its cpu collector off?)' };
  const coresPct = cpus.map((c) => busyPct(prev?.cpuSeconds.get(c), cur.cpuSeconds.get(c)!));
  const sum = (page: NodeExporterPage) => {
    const modes = new Map<string, number>();
    for (const m of page.cpuSeconds.values()) for (const [mode, v] of m) modes.set(mode, (modes.get(mode) ?? 0) + v);
    return modes;
  };
  const totalPct = prev ? busyPct(sum(prev), sum(cur)) : null;
  const times = cpus.flatMap((cpu) => [...cur.cpuSeconds.get(cpu)!].map(([mode, seconds]) => ({ cpu, mode, seconds })));
  return { totalPct, coresPct, times, ...(totalPct === null ? { reason: FIRST } : {}) };
}

function rate(prev: number | undefined, cur: number, seconds: number): number | null {
  if (prev === undefined || seconds <= 0 || cur < prev) return null; // a counter that went back: the host rebooted
  return Math.round((cur - prev) / seconds);
}

function temps(page: NodeExporterPage): TempSensor[] {
  const hw = page.hwmonTemps.map((t): TempSensor => {
    const label = t.label ?? `${t.chipName} ${t.sensor}`;
    return { id: `${t.chip}/${t.sensor}`, chip: t.chip, chipName: t.chipName, sensor: t.sensor, label, kind: classifyTemp(t.chipName, label), celsius: t.celsius };
  });
  const zones = page.thermalZones.map((z): TempSensor => ({
    id: `thermal/thermal_zone${z.zone}`,
    chip: 'thermal',
    chipName: z.type,
    sensor: `thermal_zone${z.zone}`,
    label: `${z.type} (thermal_zone${z.zone})`,
    kind: 'thermal-zone',
    celsius: z.celsius,
  }));
  return [...hw, ...zones];
}

function disks(page: NodeExporterPage): DiskUsage[] {
  return page.filesystems
    .filter((f) => DATA_FS.has(f.fsType) && !isContainerMount(f.mount))
    .map((f) => {
      const usedPct = f.size && f.avail !== null && f.free !== null ? Math.round(((f.size - f.free) / (f.size - f.free + f.avail)) * 1000) / 10 : null;
      return { mount: f.mount, device: f.device, fsType: f.fsType, sizeBytes: f.size, availBytes: f.avail, freeBytes: f.free, usedPct, ...(usedPct === null ? { reason: 'the exporter gave no size or free space for this file system' } : {}) };
    });
}

/**
 * A scraped page as the same sample the local monitor takes, so charts, cards and rules read a host without an
 * agent exactly like one with. Rates (CPU use, disk and network throughput) come from the previous page.
 */
export function sampleFromPage(cur: ScrapedPage, prev: ScrapedPage | null, costMs = 0): MonitorSample {
  const p = cur.page;
  const before = prev?.page ?? null;
  const secs = prev ? (cur.at - prev.at) / 1000 : 0;
  const prevDisk = new Map(before?.diskBytes.map((d) => [d.device, d]));
  const prevNet = new Map(before?.netBytes.map((n) => [n.iface, n]));
  const diskIo: DiskIo[] = p.diskBytes.map((d) => ({
    device: d.device,
    readBps: rate(prevDisk.get(d.device)?.read, d.read, secs),
    writeBps: rate(prevDisk.get(d.device)?.written, d.written, secs),
    readBytesTotal: d.read,
    writtenBytesTotal: d.written,
  }));
  const net: NetIo[] = p.netBytes
    .filter((n) => n.iface !== 'lo' && !isContainerInterface(n.iface))
    .map((n) => ({ iface: n.iface, rxBps: rate(prevNet.get(n.iface)?.rx, n.rx, secs), txBps: rate(prevNet.get(n.iface)?.tx, n.tx, secs), rxBytesTotal: n.rx, txBytesTotal: n.tx }));
  const m = p.memory;
  const usedPct = m.total && m.available !== null ? Math.round((1 - m.available / m.total) * 1000) / 10 : null;
  const swapUsedPct = m.swapTotal && m.swapFree !== null ? Math.round((1 - m.swapFree / m.swapTotal) * 1000) / 10 : null;
  const tempList = temps(p);
  const raw: RawSample = {
    at: cur.at,
    platform: p.sysname?.toLowerCase() ?? 'unknown',
    source: 'node-exporter',
    cpu: cpuLoad(before, p),
    temps: tempList,
    fans: p.hwmonFans.map((f) => ({ id: `${f.chip}/${f.sensor}`, chip: f.chip, chipName: f.chipName, sensor: f.sensor, label: f.label ?? `${f.chipName} ${f.sensor}`, rpm: f.rpm })),
    memory: {
      totalBytes: m.total,
      availableBytes: m.available,
      usedPct,
      swapTotalBytes: m.swapTotal,
      swapFreeBytes: m.swapFree,
      swapUsedPct,
      ...(usedPct === null ? { reason: 'the exporter reports no node_memory_MemTotal_bytes / MemAvailable_bytes (is its meminfo collector off?)' } : {}),
    },
    disks: disks(p),
    diskIo,
    net,
    load: p.load,
    uptimeSec: p.bootTime !== null ? Math.max(0, Math.round((p.time ?? cur.at / 1000) - p.bootTime)) : null,
    gpus: [],
    unavailable: [
      ...(tempList.length ? [] : [{ sensor: 'temperatures', reason: 'the exporter reports no node_hwmon_temp_celsius or node_thermal_zone_temp (no sensors, or its hwmon/thermal_zone collectors are off)' }]),
      { sensor: 'gpu', reason: 'node_exporter does not read GPUs; run "church agent" on this host for GPU readings' },
    ],
  };
  return { ...raw, readings: toReadings(raw), costMs };
}
