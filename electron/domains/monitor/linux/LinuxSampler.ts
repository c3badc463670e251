import { readAmdGpus } from './amdGpu';
import { readFileSync, statfs as statfsCb } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CpuLoad, DiskIo, DiskUsage, MemoryInfo, NetIo } from '../../../../shared/dto/monitor';
import type { RawSample, Sampler } from '../sampler';
import { busyPct, cpuModes, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev, parseProcStat, parseUptime, type CpuTimes, type DiskCounters, type NetCounters } from './parseProc';
import { discoverSensors, readSensors, type SensorFile } from './sysfsSensors';

/** What fs.statfs gives; a parameter so a test can show a nearly full disk it cannot create. */
export interface StatFsResult {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}
export type StatFs = (path: string) => Promise<StatFsResult>;

const defaultStatfs: StatFs = promisify(statfsCb) as (p: string) => Promise<StatFsResult>;

export interface LinuxSamplerOptions {
  /** Where /proc and /sys are found ('/' normally; a fixture tree in tests). */
  root: string;
  statfs?: StatFs;
  /** How often to look for new sensors (hot-plug); reading known ones happens every sample. */
  rescanMs?: number;
  /** How long one statfs may take before the mount counts as hung (default 2 s). */
  statfsTimeoutMs?: number;
  /** Kernel clock ticks per second for /proc/stat (USER_HZ; 100 on every mainstream Linux). */
  userHz?: number;
  now?: () => number;
}

/**
 * Reads the kernel's own files: no child processes, a handful of small reads per sample. Rates (CPU, disk, net)
 * need two readings, so the first sample reports them as unavailable with that reason.
 */
export class LinuxSampler implements Sampler {
  readonly source = 'linux-procfs' as const;
  private prevCpu: { total: CpuTimes | null; cores: CpuTimes[] } | null = null;
  private prevDisk: { at: number; byDev: Map<string, DiskCounters> } | null = null;
  private prevNet: { at: number; byIf: Map<string, NetCounters> } | null = null;
  private sensors: SensorFile[] = [];
  /**
   * statfs calls that have not answered yet, per mount. Each one holds a libuv threadpool thread (4 by default)
   * until the kernel gives up, so a hung mount is never asked again while its last call is still pending.
   */
  private readonly pendingStatfs = new Map<string, Promise<StatFsResult>>();
  private lastScan = -Infinity;
  private readonly statfs: StatFs;
  private readonly now: () => number;

  constructor(private readonly opts: LinuxSamplerOptions) {
    this.statfs = opts.statfs ?? defaultStatfs;
    this.now = opts.now ?? Date.now;
  }

  get hasBaseline(): boolean {
    return this.prevCpu !== null;
  }

  private read(rel: string): { text: string | null; reason?: string } {
    const file = join(this.opts.root, rel);
    try {
      return { text: readFileSync(file, 'utf8') };
    } catch (e) {
      return { text: null, reason: `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }

  async sample(): Promise<RawSample> {
    const at = this.now();
    const unavailable: RawSample['unavailable'] = [];
    const cpu = this.readCpu();
    if (cpu.reason) unavailable.push({ sensor: 'cpu load', reason: cpu.reason });

    if (at - this.lastScan >= (this.opts.rescanMs ?? 30_000)) {
      // Keep sensors seen before even when their folder is gone, so a vanished one shows as unavailable.
      const fresh = discoverSensors(this.opts.root);
      const known = new Map(this.sensors.map((s) => [s.id, s]));
      for (const s of fresh) known.set(s.id, s);
      this.sensors = [...known.values()];
      this.lastScan = at;
    }
    const { temps, fans } = readSensors(this.sensors);
    for (const s of [...temps, ...fans]) if (s.reason) unavailable.push({ sensor: s.label, reason: s.reason });
    if (!temps.some((t) => t.kind === 'cpu-package' || t.kind === 'cpu-core')) {
      const reason = 'no CPU temperature sensor found (no coretemp/k10temp hwmon device): load the driver (modprobe coretemp or k10temp) or run sensors-detect';
      temps.unshift({ id: 'cpu', chip: 'cpu', chipName: 'cpu', sensor: 'temp', label: 'CPU', kind: 'cpu-package', celsius: null, reason });
      unavailable.push({ sensor: 'CPU temperature', reason });
    }
    if (fans.length === 0) unavailable.push({ sensor: 'fans', reason: 'no fan speed inputs under /sys/class/hwmon' });

    const memory = this.readMemory();
    if (memory.reason) unavailable.push({ sensor: 'memory', reason: memory.reason });
    else if (memory.swapUsedPct === null) unavailable.push({ sensor: 'swap', reason: 'no swap configured' });
    const disks = await this.readDisks();
    for (const d of disks) if (d.reason) unavailable.push({ sensor: `disk ${d.mount}`, reason: d.reason });
    const diskIo = this.readDiskIo(at);
    const net = this.readNet(at);
    const loadText = this.read('proc/loadavg');
    const load = loadText.text === null ? null : parseLoadavg(loadText.text);
    if (!load) unavailable.push({ sensor: 'load average', reason: loadText.reason ?? 'unreadable /proc/loadavg' });
    const upText = this.read('proc/uptime');
    const uptimeSec = upText.text === null ? null : parseUptime(upText.text);
    if (uptimeSec === null) unavailable.push({ sensor: 'uptime', reason: upText.reason ?? 'unreadable /proc/uptime' });

    const gpus = readAmdGpus(this.opts.root);
    return { at, platform: 'linux', source: this.source, cpu, temps, fans, memory, disks, diskIo, net, load, uptimeSec, gpus, unavailable };
  }

  private readCpu(): CpuLoad {
    const { text, reason } = this.read('proc/stat');
    const cur = text === null ? null : parseProcStat(text);
    if (!cur?.total) {
      this.prevCpu = null;
      return { totalPct: null, coresPct: [], reason: reason ?? 'unreadable /proc/stat (no cpu line)' };
    }
    const prev = this.prevCpu;
    this.prevCpu = cur;
    const hz = this.opts.userHz ?? 100;
    const times = [cur.total, ...cur.cores].flatMap((t) =>
      t.cpu === 'cpu' ? [] : cpuModes().map((mode) => ({ cpu: t.cpu.slice(3), mode, seconds: t[mode] / hz })),
    );
    if (!prev?.total) {
      return { totalPct: null, coresPct: cur.cores.map(() => null), reason: 'first reading: load needs two samples', times };
    }
    const prevCores = new Map(prev.cores.map((c) => [c.cpu, c]));
    const totalPct = busyPct(prev.total, cur.total);
    return {
      totalPct,
      ...(totalPct === null ? { reason: 'the CPU counters in /proc/stat did not move forward since the last reading' } : {}),
      coresPct: cur.cores.map((c) => {
        const p = prevCores.get(c.cpu);
        return p ? busyPct(p, c) : null;
      }),
      times,
    };
  }

  private readMemory(): MemoryInfo {
    const { text, reason } = this.read('proc/meminfo');
    const m = text === null ? new Map<string, number>() : parseMeminfo(text);
    const total = m.get('MemTotal') ?? null;
    const avail = m.get('MemAvailable') ?? null;
    const swapTotal = m.get('SwapTotal') ?? null;
    const swapFree = m.get('SwapFree') ?? null;
    const pct = (used: number, of: number) => Math.round((used / of) * 1000) / 10;
    const usedPct = total && avail !== null && avail <= total ? pct(total - avail, total) : null;
    const swapUsedPct = swapTotal && swapFree !== null && swapFree <= swapTotal ? pct(swapTotal - swapFree, swapTotal) : null;
    const problem = reason ?? (usedPct === null ? 'unreadable /proc/meminfo (no MemTotal/MemAvailable)' : undefined);
    return { totalBytes: total, availableBytes: avail, usedPct, swapTotalBytes: swapTotal, swapFreeBytes: swapFree, swapUsedPct, ...(problem ? { reason: problem } : {}) };
  }

  /** Mounts whose statfs has not answered yet (tests, diagnostics). */
  get pendingStatfsCount(): number {
    return this.pendingStatfs.size;
  }

  private async readDisks(): Promise<DiskUsage[]> {
    const { text } = this.read('proc/mounts');
    if (text === null) return [];
    const mounts = parseMounts(text);
    const timeoutMs = this.opts.statfsTimeoutMs ?? 2000;
    return Promise.all(
      mounts.map(async (m): Promise<DiskUsage> => {
        const unavailable = (reason: string): DiskUsage => ({ ...m, sizeBytes: null, availBytes: null, freeBytes: null, usedPct: null, reason });
        // A hung network mount blocks statfs (and a threadpool thread) for minutes or forever: a second call would
        // block a second thread, and four of them starve every async file operation of the process.
        if (this.pendingStatfs.has(m.mount)) return unavailable('statfs has still not answered (hung network mount?)');
        const call = this.statfs(m.mount);
        this.pendingStatfs.set(m.mount, call);
        // Forget the call once it settles, however late (a late failure is no unhandled rejection).
        const forget = () => {
          if (this.pendingStatfs.get(m.mount) === call) this.pendingStatfs.delete(m.mount);
        };
        call.then(forget, forget);
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), timeoutMs);
            timer.unref();
          });
          const s = await Promise.race([call, timeout]);
          if (s === 'timeout') return unavailable(`statfs did not answer within ${timeoutMs} ms (hung network mount?)`);
          const size = s.blocks * s.bsize;
          const avail = s.bavail * s.bsize;
          const free = s.bfree * s.bsize;
          // Like df: used / (used + available to users), so the root-reserved blocks count as full.
          const used = size - free;
          const usedPct = used + avail > 0 ? Math.round((used / (used + avail)) * 1000) / 10 : null;
          return { ...m, sizeBytes: size, availBytes: avail, freeBytes: free, usedPct, ...(usedPct === null ? { reason: 'empty file system' } : {}) };
        } catch (e) {
          return unavailable(`statfs failed (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  private readDiskIo(at: number): DiskIo[] {
    const { text } = this.read('proc/diskstats');
    const cur = text === null ? [] : parseDiskstats(text);
    const prev = this.prevDisk;
    this.prevDisk = { at, byDev: new Map(cur.map((d) => [d.device, d])) };
    const dt = prev ? (at - prev.at) / 1000 : 0;
    return cur.map((d) => {
      const p = prev?.byDev.get(d.device);
      const rate = (a: number, b: number) => (p && dt > 0 && a >= b ? ((a - b) * 512) / dt : null);
      return {
        device: d.device,
        readBps: rate(d.sectorsRead, p?.sectorsRead ?? 0),
        writeBps: rate(d.sectorsWritten, p?.sectorsWritten ?? 0),
        readBytesTotal: d.sectorsRead * 512,
        writtenBytesTotal: d.sectorsWritten * 512,
      };
    });
  }

  private readNet(at: number): NetIo[] {
    const { text } = this.read('proc/net/dev');
    const cur = text === null ? [] : parseNetDev(text);
    const prev = this.prevNet;
    this.prevNet = { at, byIf: new Map(cur.map((n) => [n.iface, n])) };
    const dt = prev ? (at - prev.at) / 1000 : 0;
    return cur.map((n) => {
      const p = prev?.byIf.get(n.iface);
      // A counter that went backwards (interface re-created, 32-bit wrap) gives no rate this time.
      const rate = (a: number, b: number) => (p && dt > 0 && a >= b ? (a - b) / dt : null);
      return { iface: n.iface, rxBps: rate(n.rxBytes, p?.rxBytes ?? 0), txBps: rate(n.txBytes, p?.txBytes ?? 0), rxBytesTotal: n.rxBytes, txBytesTotal: n.txBytes };
    });
  }
}
