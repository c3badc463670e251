import { loadavg, uptime } from 'node:os';
import { createRequire } from 'node:module';
import type si from 'systeminformation';

// Loaded when a sample is taken on a platform without /proc, not when the module is imported.
const require = createRequire(import.meta.url);
const SI = (): typeof si => require('systeminformation') as typeof si;
import type { DiskUsage, FanSensor, TempSensor } from '../../../shared/dto/monitor';
import { fetchHardwareMonitorJson, INSTALL_HINT, LHM_DEFAULT_URL, parseHardwareMonitorJson } from './windows/hardwareMonitorJson';
import type { RawSample, Sampler } from './sampler';

const round1 = (n: number) => Math.round(n * 10) / 10;
/** systeminformation reports a missing reading as null, -1 or NaN depending on the platform. */
const real = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) && n > -1 ? n : null);

/** The systeminformation calls one sample makes; a parameter so a test can make one of them hang. */
export interface SiCalls {
  currentLoad: () => ReturnType<typeof si.currentLoad>;
  cpuTemperature: () => ReturnType<typeof si.cpuTemperature>;
  mem: () => ReturnType<typeof si.mem>;
  fsSize: () => ReturnType<typeof si.fsSize>;
  networkStats: (ifaces: string) => ReturnType<typeof si.networkStats>;
  fsStats: () => ReturnType<typeof si.fsStats>;
}

export interface SystemInformationSamplerOptions {
  /** How long one call may take before its sensor counts as unavailable (default 5 s). */
  callTimeoutMs?: number;
  si?: Partial<SiCalls>;
  /**
   * Where LibreHardwareMonitor/OpenHardwareMonitor serves data.json. Default on Windows: http://127.0.0.1:8085/data.json
   * (CHURCH_LHM_URL overrides); null elsewhere, where systeminformation's temperature is used.
   */
  hardwareMonitorUrl?: string | null;
}

/**
 * Windows and macOS: the systeminformation library wraps the OS tools (WMI, ioreg, powermetrics…). It is
 * heavier than reading /proc, so Linux never uses it. Every call has a timeout: a hung WMI query must cost one
 * sensor, not the whole sampler; and a call that has not answered is not asked again until it does, so hung
 * calls cannot pile up.
 */
export class SystemInformationSampler implements Sampler {
  readonly source = 'systeminformation' as const;
  private primed = false;
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly timeoutMs: number;
  private readonly si: SiCalls;
  private readonly hwmUrl: string | null;

  constructor(opts: SystemInformationSamplerOptions = {}) {
    this.timeoutMs = opts.callTimeoutMs ?? 5000;
    // Windows' WMI temperature (MSAcpi_ThermalZoneTemperature) is null or a constant on most boards: never shown there.
    this.hwmUrl = opts.hardwareMonitorUrl !== undefined ? opts.hardwareMonitorUrl : process.platform === 'win32' ? LHM_DEFAULT_URL : null;
    this.si = {
      currentLoad: () => SI().currentLoad(),
      cpuTemperature: () => SI().cpuTemperature(),
      mem: () => SI().mem(),
      fsSize: () => SI().fsSize(),
      networkStats: (ifaces: string) => SI().networkStats(ifaces),
      fsStats: () => SI().fsStats(),
      ...opts.si,
    };
  }

  get hasBaseline(): boolean {
    return this.primed;
  }

  async sample(): Promise<RawSample> {
    const at = Date.now();
    const unavailable: RawSample['unavailable'] = [];
    const secs = `${Math.round(this.timeoutMs / 100) / 10} s`;
    const settle = async <T>(what: string, call: () => Promise<T>): Promise<T | null> => {
      if (this.pending.has(what)) {
        unavailable.push({ sensor: what, reason: `${what}: the OS has still not answered the last query (over ${secs})` });
        return null;
      }
      let timer: NodeJS.Timeout | undefined;
      // Called now, before the timer starts: the first call loads systeminformation synchronously, and a timer
      // started before that load would be overdue when the loop comes back and fire ahead of every answer.
      let p: Promise<T>;
      try {
        p = Promise.resolve(call());
      } catch (e) {
        p = Promise.reject(e as Error);
      }
      this.pending.set(what, p);
      // Forget it once it answers, however late; a late failure is no unhandled rejection.
      p.then(
        () => this.pending.delete(what),
        () => this.pending.delete(what),
      );
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
        timer.unref();
      });
      try {
        const r = await Promise.race([p, timeout]);
        if (r === 'timeout') {
          unavailable.push({ sensor: what, reason: `${what} did not answer within ${secs}` });
          return null;
        }
        return r;
      } catch (e) {
        unavailable.push({ sensor: what, reason: `${what} could not be read: ${(e as Error).message}` });
        return null;
      } finally {
        clearTimeout(timer);
      }
    };
    const [load, temp, mem, fs, net, io] = await Promise.all([
      settle('cpu load', () => this.si.currentLoad()),
      this.hwmUrl ? Promise.resolve(null) : settle('CPU temperature', () => this.si.cpuTemperature()),
      settle('memory', () => this.si.mem()),
      settle('disks', () => this.si.fsSize()),
      settle('network', () => this.si.networkStats('*')),
      settle('disk I/O', () => this.si.fsStats()),
    ]);
    const hwm = this.hwmUrl ? await fetchHardwareMonitorJson(this.hwmUrl, Math.min(this.timeoutMs, 2000)) : null;
    const firstRates = !this.primed;
    this.primed = true;

    const temps: TempSensor[] = [];
    const fans: FanSensor[] = [];
    const main = real(temp?.main);
    const base = { chip: 'cpu', chipName: 'cpu' };
    if (hwm) {
      const read = hwm.root ? parseHardwareMonitorJson(hwm.root) : { temps: [], fans: [] };
      temps.push(...read.temps);
      fans.push(...read.fans);
      if (!read.temps.some((t) => t.kind === 'cpu-package' || t.kind === 'cpu-core')) {
        const why = hwm.problem ? `${hwm.problem}. ${INSTALL_HINT}` : `the hardware monitor lists no CPU temperature (run it as administrator). ${INSTALL_HINT}`;
        temps.unshift({ ...base, id: 'cpu/package', sensor: 'temp1', label: 'CPU package', kind: 'cpu-package', celsius: null, reason: why });
      }
    } else temps.push({ ...base, id: 'cpu/package', sensor: 'temp1', label: 'CPU package', kind: 'cpu-package', celsius: main === null ? null : round1(main), ...(main === null ? { reason: 'the OS reports no CPU temperature (on Windows it needs admin rights or a vendor driver; on macOS osx-temperature-sensor)' } : {}) });
    if (!hwm) (temp?.cores ?? []).forEach((c, i) => {
      const v = real(c);
      temps.push({ ...base, id: `cpu/core${i}`, sensor: `temp${i + 2}`, label: `Core ${i}`, kind: 'cpu-core', celsius: v === null ? null : round1(v), ...(v === null ? { reason: 'no reading' } : {}) });
    });
    for (const t of temps) if (t.reason) unavailable.push({ sensor: t.label, reason: t.reason });
    for (const f of fans) if (f.reason) unavailable.push({ sensor: f.label, reason: f.reason });

    const disks: DiskUsage[] = (fs ?? []).map((d) => ({
      mount: d.mount,
      device: d.fs,
      fsType: d.type,
      sizeBytes: d.size,
      availBytes: d.available,
      freeBytes: d.size - d.used,
      usedPct: d.size > 0 ? round1(d.use) : null,
    }));
    const memory = mem
      ? {
          totalBytes: mem.total,
          availableBytes: mem.available,
          usedPct: mem.total ? round1(((mem.total - mem.available) / mem.total) * 100) : null,
          swapTotalBytes: mem.swaptotal,
          swapFreeBytes: mem.swapfree,
          swapUsedPct: mem.swaptotal ? round1((mem.swapused / mem.swaptotal) * 100) : null,
        }
      : { totalBytes: null, availableBytes: null, usedPct: null, swapTotalBytes: null, swapFreeBytes: null, swapUsedPct: null, reason: 'memory could not be read' };
    const [one, five, fifteen] = loadavg() as [number, number, number];
    return {
      at,
      platform: process.platform,
      source: this.source,
      cpu: load
        ? { totalPct: round1(load.currentLoad), coresPct: load.cpus.map((c) => round1(c.load)) }
        : { totalPct: null, coresPct: [], reason: 'cpu load could not be read' },
      temps,
      fans,
      memory,
      disks,
      diskIo: io
        ? [{ device: 'all', readBps: firstRates ? null : real(io.rx_sec), writeBps: firstRates ? null : real(io.wx_sec), readBytesTotal: io.rx, writtenBytesTotal: io.wx }]
        : [],
      net: (net ?? []).map((n) => ({ iface: n.iface, rxBps: firstRates ? null : real(n.rx_sec), txBps: firstRates ? null : real(n.tx_sec), rxBytesTotal: n.rx_bytes, txBytesTotal: n.tx_bytes })),
      // Windows has no load average (os.loadavg() is all zeros there): unavailable, not 0.
      load: process.platform === 'win32' ? null : { one, five, fifteen },
      uptimeSec: uptime(),
      gpus: [],
      unavailable,
    };
  }
}
