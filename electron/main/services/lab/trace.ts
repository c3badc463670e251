import { appendFileSync } from 'node:fs';

/**
 * Timestamps along the lab's latency paths (dispatch: enqueue → ffmpeg spawned on an agent; a slot's turnaround:
 * ffmpeg's exit → upload → the studio → the next spawn; kill: trigger → every agent's ffmpeg gone), for
 * `npm run bench lab` to say where the milliseconds go. Off unless
 * CHURCH_LAB_TRACE names a file; a line carries a stage name, ids and a wall-clock time shared by all processes
 * on the host (never a secret, a URL or an argument list).
 */
export function labTrace(stage: string, ids: Record<string, string | number> = {}): void {
  const file = process.env.CHURCH_LAB_TRACE;
  if (!file) return;
  try {
    appendFileSync(file, `${JSON.stringify({ at: performance.timeOrigin + performance.now(), pid: process.pid, stage, ...ids })}\n`, { mode: 0o600 });
  } catch {
    // a trace is never worth a failed job
  }
}
