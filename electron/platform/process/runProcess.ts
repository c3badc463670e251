import { spawn, type SpawnOptions } from 'node:child_process';
import { childEnv } from './childEnv';

export interface RunOptions {
  /** Kill the process (SIGTERM, then SIGKILL after `killGraceMs`) when it runs longer than this. */
  timeoutMs?: number;
  killGraceMs?: number;
  cwd?: string;
  /** The environment to start from; its secret variables are always removed (see childEnv.ts). */
  env?: NodeJS.ProcessEnv;
  /** Secrets this one child needs (e.g. RESTIC_PASSWORD), added after the filtering. */
  secretEnv?: Record<string, string>;
  /** Keep at most this many bytes of each stream (the tail); default 1 MiB. */
  maxOutputBytes?: number;
  stdin?: string | Buffer;
  signal?: AbortSignal;
  /**
   * Start the program in its own process group and signal the whole group, so helpers it started (a shell
   * script's `sleep`, a wrapper's child) die with it. POSIX only; ignored on Windows.
   */
  killGroup?: boolean;
  /** Sees stdout as it arrives (progress lines), besides the tail kept in the result. */
  onStdout?: (chunk: Buffer) => void;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
  durationMs: number;
}

/** Keeps the last `max` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size > this.max && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  toString(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString('utf8');
  }
}

/**
 * Runs a program with an argument array (never through a shell), bounded in time and output,
 * and always reaped. Resolves in every case; the caller decides what a non-zero exit means.
 */
export function runProcess(bin: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const max = opts.maxOutputBytes ?? 1024 * 1024;
  const out = new TailBuffer(max);
  const err = new TailBuffer(max);
  return new Promise((resolve) => {
    const group = opts.killGroup === true && process.platform !== 'win32';
    const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: childEnv(opts.env ?? process.env, opts.secretEnv), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: group };
    const child = spawn(bin, [...args], spawnOpts);
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    const signalChild = (sig: NodeJS.Signals) => {
      try {
        if (group && child.pid) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const terminate = () => {
      signalChild('SIGTERM');
      killTimer = setTimeout(() => signalChild('SIGKILL'), opts.killGraceMs ?? 2000);
      killTimer.unref();
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          terminate();
        }, opts.timeoutMs)
      : undefined;
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      if (closeTimer) clearTimeout(closeTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        stdout: out.toString(),
        stderr: err.toString(),
        timedOut,
        aborted,
        spawnError,
        durationMs: performance.now() - started,
      });
    };
    child.stdout?.on('data', (b: Buffer) => {
      out.push(b);
      opts.onStdout?.(b);
    });
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => finish(null, null, `${e.code ?? 'ERROR'}: ${e.message}`));
    child.on('close', (code, signal) => finish(code, signal));
    // A grandchild that inherited stdout can hold the pipe open long after the program exited; do not wait on it.
    child.on('exit', (code, signal) => {
      closeTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, 250);
    });
    child.stdin?.on('error', () => undefined); // the child may exit before reading its input
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    else child.stdin?.end();
  });
}
