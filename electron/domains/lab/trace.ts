import { appendFileSync } from 'node:fs';

/**
 * Timestamps along the lab's latency paths (dispatch: enqueue → ffmpeg spawned on an agent; a slot's turnaround:
 * ffmpeg's exit → upload → the studio → the next spawn; kill: trigger → every agent's ffmpeg gone), for
 * `npm run bench lab` to say where the milliseconds go. Off unless
 * CHURCH_LAB_TRACE names a file; a line carries a stage name, ids and the wall clock, which all processes on the
 * host read alike (performance.timeOrigin is fixed at each process's start and may be tens of ms off on a loaded
 * host). Never a secret, a URL or an argument list.
 */
export function labTrace(stage: string, ids: Record<string, string | number> = {}): void {
  const file = process.env.CHURCH_LAB_TRACE;
  if (!file) return;
  try {
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), pid: process.pid, stage, ...ids })}\n`, { mode: 0o600 });
  } catch {
    // a trace is never worth a failed job
  }
}
