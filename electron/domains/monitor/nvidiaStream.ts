import { spawn, type ChildProcess } from 'node:child_process';
import type { GpuInfo } from '../../../shared/dto/monitor';
import { nvidiaSmiArgs, parseNvidiaSmi, type GpuQueryResult } from './nvidiaSmi';

export interface NvidiaStreamOptions {
  bin: string;
  /** The loop period handed to `nvidia-smi -lms`. */
  intervalMs: number;
  /** The environment of the parent; the child gets only what it needs to run (no secrets). */
  env: NodeJS.ProcessEnv;
  now?: () => number;
  /** First restart delay after the process dies; doubles per failure up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** No line for this long → the read-out is stale (unavailable); default max(3 × interval, 3 s). */
  staleAfterMs?: number;
  /** No line for this long → the process is killed and started again; default max(10 × interval, 30 s). */
  restartAfterMs?: number;
  log?: (msg: string) => void;
}

/** What nvidia-smi needs: where programs are, and on Windows the system folders. Nothing else (no secrets). */
export function nvidiaChildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'Path', 'SYSTEMROOT', 'SystemRoot', 'WINDIR', 'LANG', 'LC_ALL', 'CUDA_VISIBLE_DEVICES', 'LD_LIBRARY_PATH']) {
    if (env[k] !== undefined) out[k] = env[k];
  }
  return out;
}

const MAX_LINE = 16 * 1024;

/**
 * One long-lived `nvidia-smi --query-gpu=… -lms <interval>` per monitor: it prints one CSV line per GPU every
 * interval, so a sample reads the newest lines instead of paying for a process (and NVML's start-up) per sample.
 * A process that dies is started again with backoff (1 s, 2 s, 4 s … 60 s; reset once lines flow again); one
 * that stops printing is reported stale after `staleAfterMs` and replaced after `restartAfterMs`.
 */
export class NvidiaStream {
  private child: ChildProcess | null = null;
  private readonly now: () => number;
  private readonly gpus = new Map<number, { info: GpuInfo; at: number }>();
  private lastLineAt = 0;
  private startedAt = 0;
  private partial = '';
  private stderrTail = '';
  private problem: string | null = 'nvidia-smi is starting';
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stopped = false;
  private spawns = 0;

  constructor(private readonly opts: NvidiaStreamOptions) {
    this.now = opts.now ?? Date.now;
  }

  private get staleAfterMs(): number {
    return this.opts.staleAfterMs ?? Math.max(3 * this.opts.intervalMs, 3000);
  }

  private get restartAfterMs(): number {
    return this.opts.restartAfterMs ?? Math.max(10 * this.opts.intervalMs, 30_000);
  }

  /** How many processes were started so far (tests and the bench: one per life, never one per sample). */
  get processCount(): number {
    return this.spawns;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    if (this.child || this.stopped || this.restartTimer) return;
    this.spawnChild();
    // The watchdog notices a stall even when nobody samples (a window-less host still wants the process back).
    this.watchdog = setInterval(() => this.checkStall(), Math.min(this.staleAfterMs, 1000));
    this.watchdog.unref();
  }

  /** The newest line per GPU, or no GPUs and the reason (starting, stalled, died and restarting). */
  read(): GpuQueryResult {
    const t = this.now();
    if (this.gpus.size === 0) return { gpus: [], problem: this.problem ?? 'nvidia-smi has printed nothing yet' };
    const age = t - this.lastLineAt;
    const list = [...this.gpus.values()].sort((a, b) => a.info.index - b.info.index);
    if (age > this.staleAfterMs) {
      // Stale values are not shown as current: the GPUs stay listed, their figures become unavailable.
      const stale = list.map(({ info }) => ({ ...info, tempC: null, utilPct: null, memUsedBytes: null, powerW: null, fanPct: null }));
      const why = this.problem ?? `nvidia-smi has printed nothing for ${Math.round(age / 1000)} s (stalled)`;
      return { gpus: stale, problem: why };
    }
    // A GPU that fell off the bus stops appearing in the lines: drop it once it is stale on its own.
    return { gpus: list.filter((g) => t - g.at <= this.staleAfterMs).map((g) => g.info), problem: null };
  }

  /** Stops the process (SIGTERM, SIGKILL after 2 s) and any restart; resolves when it has been reaped. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.restartTimer = null;
    this.watchdog = null;
    const child = this.child;
    if (!child) return;
    await this.kill(child);
  }

  private kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('close', () => {
        clearTimeout(hard);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private spawnChild(): void {
    const args = [...nvidiaSmiArgs(), '-lms', String(this.opts.intervalMs)];
    this.spawns++;
    this.partial = '';
    this.stderrTail = '';
    this.startedAt = this.now();
    let child: ChildProcess;
    try {
      child = spawn(this.opts.bin, args, { env: nvidiaChildEnv(this.opts.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      this.onDeath(`nvidia-smi could not start (${(e as Error).message})`);
      return;
    }
    this.child = child;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    child.stderr!.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      // ENOENT/EACCES arrive here, followed by 'close'.
      this.stderrTail = `could not start (${e.code ?? e.message})`;
    });
    child.on('close', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.stopped) return;
      const first = this.stderrTail.trim().split('\n')[0] ?? '';
      const how = signal ? `was killed (${signal})` : `exited (code ${code})`;
      this.onDeath(first.startsWith('could not start') ? `nvidia-smi ${first}` : `nvidia-smi ${how}${first ? `: ${first}` : ''}`);
    });
  }

  private onData(chunk: string): void {
    this.partial += chunk;
    if (this.partial.length > MAX_LINE && !this.partial.includes('\n')) {
      this.partial = ''; // a line this long is not a GPU line; do not grow without bound
      return;
    }
    const nl = this.partial.lastIndexOf('\n');
    if (nl < 0) return;
    const complete = this.partial.slice(0, nl);
    this.partial = this.partial.slice(nl + 1);
    const parsed = parseNvidiaSmi(complete);
    if (!parsed.length) return;
    const t = this.now();
    for (const g of parsed) this.gpus.set(g.index, { info: g, at: t });
    this.lastLineAt = t;
    this.problem = null;
    this.failures = 0;
  }

  private onDeath(reason: string): void {
    if (this.stopped) return;
    const delay = Math.min((this.opts.backoffMs ?? 1000) * 2 ** this.failures, this.opts.maxBackoffMs ?? 60_000);
    this.failures++;
    this.problem = `${reason}; starting it again in ${delay >= 1000 ? `${Math.round(delay / 1000)} s` : `${delay} ms`}`;
    // Figures from before the death are not current any more.
    this.gpus.clear();
    this.opts.log?.(this.problem);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopped) this.spawnChild();
    }, delay);
    this.restartTimer.unref();
  }

  private checkStall(): void {
    const child = this.child;
    if (!child || this.stopped) return;
    const since = this.now() - Math.max(this.lastLineAt, this.startedAt);
    if (since <= this.restartAfterMs) return;
    this.opts.log?.(`nvidia-smi printed nothing for ${Math.round(since / 1000)} s; starting it again`);
    // 'close' then schedules the restart with backoff, like any other death.
    this.stderrTail = `stalled for ${Math.round(since / 1000)} s`;
    child.kill('SIGKILL');
  }
}
