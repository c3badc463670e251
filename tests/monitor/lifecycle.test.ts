import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LinuxSampler, SystemInformationSampler, type RawSample, type Sampler } from '../../electron/domains/monitor';
import { openDatabase } from '../../electron/platform/db';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';
import { nextTurns } from '../helpers/waitFor';

/** The fixture sampler, held at the gate until the test opens it: a sample that is slow to come back. */
class GatedSampler implements Sampler {
  readonly source = 'linux-procfs' as const;
  private open: (() => void) | null = null;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private asked: (() => void) | null = null;
  /** Resolves once a sample has been asked for and is held at the gate. */
  readonly inFlight = new Promise<void>((resolve) => (this.asked = resolve));
  constructor(private readonly inner: LinuxSampler) {}
  get hasBaseline(): boolean {
    return this.inner.hasBaseline;
  }
  async sample(): Promise<RawSample> {
    this.asked?.();
    await this.gate;
    return this.inner.sample();
  }
  release(): void {
    this.open?.();
  }
}

describe('monitor lifecycle', () => {
  it('close() waits for the sample in flight, so its minute is saved before the database closes', async () => {
    const f = FixtureTree.healthy({ pkgC: 64 });
    const gated = new GatedSampler(new LinuxSampler({ root: f.root, statfs: async () => ({ bsize: 4096, blocks: 100, bfree: 50, bavail: 50 }) }));
    const m = makeFixtureMonitor(f.root, { sampler: gated });
    const file = m.db.name;
    m.monitor.start(); // takes the first sample at once: it is now in flight
    let closed = false;
    await gated.inFlight;
    const closing = m.close().then(() => (closed = true));
    await nextTurns(); // a close() that did not wait for the sample would have finished by now
    expect(closed).toBe(false);
    gated.release();
    await closing;
    expect(m.samples).toHaveLength(1);
    expect(m.errors).toEqual([]);
    // The in-flight sample reached the minute table before the database was closed.
    const db = openDatabase(file);
    try {
      const row = db.prepare("SELECT avg FROM monitor_minutes WHERE series = 'cpu.temp:platform_coretemp_0/temp1'").get() as { avg: number } | undefined;
      expect(row?.avg).toBe(64);
    } finally {
      db.close();
    }
  });

  it('systeminformation: a call that first blocks the thread (the module loading cold) still gets its full time to answer', async () => {
    const si = (await import('systeminformation')).default;
    const [load, temp, mem, fsSize, net, io] = await Promise.all([si.currentLoad(), si.cpuTemperature(), si.mem(), si.fsSize(), si.networkStats('*'), si.fsStats()]);
    const s = new SystemInformationSampler({
      callTimeoutMs: 1000,
      hardwareMonitorUrl: null,
      si: {
        // Blocks longer than the timeout before it returns (as requiring systeminformation does on a loaded
        // machine), then answers from a file read, as si.mem() does: a timer started before the block would be
        // overdue, and the loop runs overdue timers before it collects finished reads.
        mem: () => {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
          return readFile('/proc/meminfo').then(() => mem);
        },
        currentLoad: async () => load,
        cpuTemperature: async () => temp,
        fsSize: async () => fsSize,
        networkStats: async () => net,
        fsStats: async () => io,
      },
    });
    const sample = await s.sample();
    expect(sample.unavailable.map((u) => u.sensor)).not.toContain('memory');
    expect(sample.memory.totalBytes).toBe(mem.total);
  });

  it('systeminformation: a call that never answers is unavailable after the timeout, and is not asked again while pending', async () => {
    // The other calls answer with this machine's real readings, taken beforehand: live, they share the short
    // timeout with the hung call, and on a loaded machine `df` or /proc could miss it (then memory was null).
    const si = (await import('systeminformation')).default;
    const [load, mem, fsSize, net, io] = await Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.networkStats('*'), si.fsStats()]);
    let tempCalls = 0;
    const s = new SystemInformationSampler({
      callTimeoutMs: 1500,
      hardwareMonitorUrl: null,
      si: {
        currentLoad: async () => load,
        mem: async () => mem,
        fsSize: async () => fsSize,
        networkStats: async () => net,
        fsStats: async () => io,
        cpuTemperature: () => {
          tempCalls++;
          return new Promise(() => undefined);
        },
      },
    });
    // It resolves at all (the hung call would otherwise hold the sample forever): the test's own timeout bounds it.
    const first = await s.sample();
    expect(first.unavailable).toContainEqual({ sensor: 'CPU temperature', reason: 'CPU temperature did not answer within 1.5 s' });
    expect(first.temps[0]).toMatchObject({ label: 'CPU package', celsius: null });
    // The other calls answered: memory is there.
    expect(first.memory.totalBytes).toBeGreaterThan(0);
    const second = await s.sample();
    expect(second.unavailable).toContainEqual({ sensor: 'CPU temperature', reason: 'CPU temperature: the OS has still not answered the last query (over 1.5 s)' });
    expect(second.memory.totalBytes).toBeGreaterThan(0);
    expect(tempCalls).toBe(1);
  });
});
