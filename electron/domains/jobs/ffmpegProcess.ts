import { spawn } from 'node:child_process';
import { childEnv } from '../../platform/process';
import { ProgressParser, type ProgressSnapshot } from './progressParser';

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the binary could not be started (ENOENT, EACCES). */
  spawnError: string | null;
  /** The last lines ffmpeg wrote on stderr. */
  logTail: string;
  /** True when the watchdog killed it for making no progress. */
  stalled: boolean;
}

/** What the engine does to a running encode, here or on a lab agent: stop it, pause it in place, go on. */
export interface ProcessControl {
  /**
   * SIGTERM (ffmpeg stops and closes its output), then SIGKILL after graceMs if it is still there; graceMs 0 is
   * SIGKILL at once (the kill switch: an emergency does not wait for a clean trailer).
   */
  terminate(graceMs: number): void;
  /** SIGSTOP / SIGCONT: pauses the encode in place (POSIX only; returns false where not possible). */
  suspend(): boolean;
  resume(): boolean;
}

export interface FfmpegHandle extends ProcessControl {
  readonly pid: number | null;
  readonly done: Promise<FfmpegExit>;
}

export interface FfmpegRunOptions {
  onProgress(s: ProgressSnapshot): void;
  /** Kill ffmpeg when it reports no progress for this long while not suspended (a hung input, a stuck device). */
  stallTimeoutMs: number;
  tailLines?: number;
  env?: NodeJS.ProcessEnv;
  /** stderr lines to hand over whole, whatever the tail keeps (the sprite's showinfo frame times). */
  keep?: RegExp;
  onKept?: (line: string) => void;
}

/**
 * Starts ffmpeg with an argument array (never a shell). Unlike runProcess it streams stdout to the progress
 * parser while the process runs and exposes suspend/resume and a two-step kill, which a job queue needs.
 */
export function startFfmpeg(bin: string, args: readonly string[], opts: FfmpegRunOptions): FfmpegHandle {
  const tailLines = opts.tailLines ?? 40;
  const child = spawn(bin, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env: childEnv(opts.env ?? process.env) });
  const parser = new ProgressParser((s) => {
    lastActivity = Date.now();
    opts.onProgress(s);
  });
  let stderrLines: string[] = [];
  let stderrPartial = '';
  let lastActivity = Date.now();
  let suspended = false;
  let stalled = false;
  let killTimer: NodeJS.Timeout | undefined;

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => parser.push(d));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    lastActivity = Date.now();
    const parts = (stderrPartial + d).split(/\r?\n|\r/);
    stderrPartial = parts.pop() ?? '';
    for (const l of parts) {
      if (opts.keep?.test(l)) opts.onKept?.(l);
      else if (l.trim() !== '') stderrLines.push(l);
    }
    if (stderrLines.length > tailLines * 2) stderrLines = stderrLines.slice(-tailLines);
  });

  const signal = (sig: NodeJS.Signals): boolean => {
    try {
      return child.kill(sig);
    } catch {
      return false;
    }
  };

  const terminate = (graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // No grace: SIGKILL now (it ends a stopped process too), not a SIGTERM and a timer one turn later.
    if (graceMs <= 0) {
      signal('SIGKILL');
      return;
    }
    signal('SIGTERM');
    // A stopped (paused) process only acts on SIGTERM once it runs again: without SIGCONT a cancel would wait
    // the whole grace and end in SIGKILL. It is no longer suspended, so the watchdog applies again.
    if (suspended) {
      signal('SIGCONT');
      suspended = false;
      lastActivity = Date.now();
    }
    if (!killTimer) {
      killTimer = setTimeout(() => signal('SIGKILL'), graceMs);
      killTimer.unref();
    }
  };

  const watchdog = setInterval(() => {
    if (!suspended && Date.now() - lastActivity > opts.stallTimeoutMs) {
      stalled = true;
      terminate(1000);
    }
  }, Math.min(1000, Math.max(50, opts.stallTimeoutMs / 4)));
  watchdog.unref();

  const done = new Promise<FfmpegExit>((resolve) => {
    let settled = false;
    const finish = (code: number | null, sig: NodeJS.Signals | null, spawnError: string | null) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      if (killTimer) clearTimeout(killTimer);
      if (stderrPartial.trim()) stderrLines.push(stderrPartial);
      resolve({ code, signal: sig, spawnError, logTail: stderrLines.slice(-tailLines).join('\n'), stalled });
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish(null, null, `${e.code ?? 'ERROR'}: ${e.message}`));
    child.on('close', (code, sig) => finish(code, sig, null));
  });

  return {
    pid: child.pid ?? null,
    done,
    terminate,
    suspend: () => {
      if (process.platform === 'win32' || suspended) return false;
      suspended = signal('SIGSTOP');
      return suspended;
    },
    resume: () => {
      if (!suspended) return false;
      suspended = false;
      lastActivity = Date.now();
      return signal('SIGCONT');
    },
  };
}
