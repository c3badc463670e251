import type { MonitorHistory, MonitorSample } from '../../../shared/dto/monitor';
import type { Db } from '../../platform/db';
import type { HardwareReader } from './hardwareReader';
import { SampleRing } from './ringBuffer';
import { MinuteRollup } from './store';

const HOUR_MS = 3_600_000;

export interface LocalSamplingDeps {
  db: Db;
  reader: HardwareReader;
  now(): number;
  logError(msg: string, e: unknown): void;
  /** Each new sample, once kept: the rules, the alerts and the UI. */
  onSample(s: MonitorSample): void;
}

/**
 * This machine's figures: a sample every interval (primary process only), the last hour in memory and minute
 * averages for 30 days in SQLite; a process that does not sample reads the hardware when asked.
 */
export class LocalSampling {
  private readonly ring = new SampleRing(3600);
  private readonly rollup: MinuteRollup;
  private latestSample: MonitorSample | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  /** The sample being taken by the timer, so an early `current()` waits for it instead of reading alongside. */
  private inflight: Promise<MonitorSample> | null = null;
  private isRunning = false;

  constructor(private readonly deps: LocalSamplingDeps) {
    this.rollup = new MinuteRollup(deps.db);
  }

  get running(): boolean {
    return this.isRunning;
  }

  get latest(): MonitorSample | null {
    return this.latestSample;
  }

  /** The sampling timer and the GPU stream; the first sample is taken at once (see `firstTick`). */
  start(intervalMs: number): void {
    this.isRunning = true;
    this.rollup.pruneOld(this.deps.now());
    this.deps.reader.startGpuStream(intervalMs);
    this.schedule(intervalMs);
  }

  /** The first sample now, not one interval later: a window opening with the studio shows figures at once. */
  firstTick(): void {
    void this.timedTick();
  }

  /** A new interval: a new timer and (the loop period is an argument of the process) a new GPU stream. */
  async setInterval(intervalMs: number): Promise<void> {
    this.schedule(intervalMs);
    await this.deps.reader.stopGpuStream();
    if (this.isRunning) this.deps.reader.startGpuStream(intervalMs);
  }

  /** Stops the timer; the sample in flight still writes the ring and the rollup, so it is waited for. */
  async stop(): Promise<void> {
    this.isRunning = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.inflight) await this.inflight.catch(() => null);
  }

  flush(): void {
    this.rollup.flush(this.deps.now());
  }

  private schedule(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      // A slow sample (a hung nvidia-smi, a stalled NFS statfs) skips ticks rather than piling them up.
      if (this.busy) return;
      void this.timedTick();
    }, intervalMs);
    this.timer.unref();
  }

  private timedTick(): Promise<MonitorSample | null> {
    this.inflight = this.tick();
    return this.inflight.catch((e: unknown) => {
      this.deps.logError('monitor: a sample failed', e);
      return null;
    });
  }

  /** One full cycle: sample, remember, hand on. Called by the timer; tests call it directly. */
  async tick(): Promise<MonitorSample> {
    this.busy = true;
    try {
      const s = await this.deps.reader.takeSample();
      this.latestSample = s;
      this.ring.push(s.at, s.readings);
      try {
        this.rollup.add(s.at, s.readings);
      } catch (e) {
        this.deps.logError('monitor: minute averages could not be saved', e);
      }
      this.deps.onSample(s);
      return s;
    } finally {
      this.busy = false;
    }
  }

  /** The newest sample; a process that is not sampling reads the hardware now (twice, so rates exist). */
  async current(): Promise<MonitorSample> {
    if (this.isRunning && this.latestSample) return this.latestSample;
    if (this.isRunning && this.inflight) {
      const first = await this.inflight.catch(() => null);
      if (first) return first;
    }
    const reader = this.deps.reader;
    if (!reader.hasBaseline) {
      await reader.prime();
      await new Promise((r) => setTimeout(r, 250));
    }
    const s = await reader.takeSample();
    this.latestSample = s;
    return s;
  }

  /** Up to an hour from memory while it covers the range (or sampling fills it); else the minute averages. */
  history(series: string[], rangeSec: number): MonitorHistory {
    const since = this.deps.now() - rangeSec * 1000;
    const oldest = this.ring.oldest();
    const fromRing = rangeSec * 1000 <= HOUR_MS && oldest !== null && (oldest <= since || this.isRunning);
    if (!fromRing) this.rollup.flush(this.deps.now());
    const out: MonitorHistory = { resolution: fromRing ? 'sample' : 'minute', series: [] };
    for (const id of series) {
      const s = fromRing ? this.ring.series(id, since) : this.rollup.series(id, since);
      if (s) out.series.push({ id, ...s });
    }
    return out;
  }
}
