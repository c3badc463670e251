import type { MonitorSample } from '../../../shared/dto/monitor';
import { LinuxSampler, type StatFs } from './linux/LinuxSampler';
import { findNvidiaSmi, queryNvidiaSmi, type GpuQueryResult } from './nvidiaSmi';
import { NvidiaStream } from './nvidiaStream';
import { toReadings } from './readings';
import type { Sampler } from './sampler';
import { SystemInformationSampler } from './SystemInformationSampler';

/** After nvidia-smi fails, ask again this much later instead of paying for a failing spawn every second. */
const GPU_RETRY_MS = 60_000;

export interface HardwareReaderOptions {
  env: NodeJS.ProcessEnv;
  logError(msg: string, e: unknown): void;
  /** Tests: a sampler of their own, a fixture root for /proc and /sys, a statfs, a clock. */
  sampler?: Sampler;
  root?: string;
  statfs?: StatFs;
  now?: () => number;
}

/**
 * Reads this machine's hardware into one MonitorSample: the platform sampler and the NVIDIA GPUs, merged, with the
 * flat readings derived. The studio's monitor and every lab agent use this one reader, so a reading means the same
 * wherever it was taken.
 */
export class HardwareReader {
  private readonly sampler: Sampler;
  private readonly now: () => number;
  private readonly nvidiaSmi: string | null;
  private gpuRetryAt = 0;
  private gpuProblem: string | null = null;
  /** While sampling: one long-lived `nvidia-smi -lms` instead of a process per sample. */
  private gpuStream: NvidiaStream | null = null;

  constructor(private readonly opts: HardwareReaderOptions) {
    this.now = opts.now ?? Date.now;
    const env = opts.env;
    const forceSi = env.CHURCH_MONITOR_SAMPLER === 'systeminformation';
    this.sampler =
      opts.sampler ??
      (process.platform === 'linux' && !forceSi
        ? new LinuxSampler({ root: opts.root ?? env.CHURCH_MONITOR_ROOT ?? '/', statfs: opts.statfs, now: this.now })
        : new SystemInformationSampler(env.CHURCH_LHM_URL ? { hardwareMonitorUrl: env.CHURCH_LHM_URL } : {}));
    this.nvidiaSmi = findNvidiaSmi(env);
    if (!this.nvidiaSmi) this.gpuProblem = 'nvidia-smi not found (no NVIDIA driver, or set CHURCH_NVIDIA_SMI)';
  }

  /** True once a first reading exists, so rates can be computed. */
  get hasBaseline(): boolean {
    return this.sampler.hasBaseline;
  }

  /** Starts the GPU read-out at this period (sampling processes only). */
  startGpuStream(intervalMs: number): void {
    if (!this.nvidiaSmi || this.gpuStream) return;
    this.gpuStream = new NvidiaStream({
      bin: this.nvidiaSmi,
      intervalMs,
      env: this.opts.env,
      log: (msg) => this.opts.logError('monitor: GPU query', new Error(msg)),
    });
    this.gpuStream.start();
  }

  async stopGpuStream(): Promise<void> {
    const stream = this.gpuStream;
    this.gpuStream = null;
    await stream?.stop();
  }

  /** The GPU reader's process, for tests and the bench (null when not streaming). */
  get gpuReader(): NvidiaStream | null {
    return this.gpuStream;
  }

  private async gpuQuery(): Promise<GpuQueryResult> {
    if (!this.nvidiaSmi) return { gpus: [], problem: this.gpuProblem };
    if (this.gpuStream) return this.gpuStream.read();
    if (this.now() < this.gpuRetryAt) return { gpus: [], problem: this.gpuProblem };
    const r = await queryNvidiaSmi(this.nvidiaSmi);
    this.gpuProblem = r.problem;
    if (r.problem) this.gpuRetryAt = this.now() + GPU_RETRY_MS;
    return r;
  }

  /** A reading that only sets the baseline for rates (a process that samples once reads twice). */
  async prime(): Promise<void> {
    await this.sampler.sample();
  }

  /** Reads every sensor once (and nvidia-smi once, in parallel). */
  async takeSample(): Promise<MonitorSample> {
    const before = process.cpuUsage();
    const [raw, gpu] = await Promise.all([this.sampler.sample(), this.gpuQuery()]);
    // AMD cards come from the sampler (sysfs), NVIDIA ones from nvidia-smi: one list, numbered NVIDIA first.
    raw.gpus = [...gpu.gpus, ...raw.gpus.map((g, i) => ({ ...g, index: gpu.gpus.length + i }))];
    // No nvidia-smi on a box with AMD cards is not a problem worth listing.
    if (gpu.problem && !(raw.gpus.length > 0 && !this.nvidiaSmi)) raw.unavailable.push({ sensor: 'NVIDIA GPU', reason: gpu.problem });
    const readings = toReadings(raw);
    const used = process.cpuUsage(before);
    return { ...raw, readings, costMs: Math.round((used.user + used.system) / 10) / 100 };
  }
}
