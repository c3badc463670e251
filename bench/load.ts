import { cpus, loadavg } from 'node:os';

/**
 * The machine's state around a bench run. A figure taken while other work loads the machine is not the figure
 * the studio gives on a quiet one (a ratio to `node -e 0` or to a second encode shrinks under load), so each result
 * records the 1-minute load average before and after, and a run that started loaded says so in every line.
 */
export const QUIET_LOAD = 1.0;

export interface RunLoad {
  /** 1-minute load average as the bench started (after any wait for the machine to settle). */
  before1m: number;
  /** Seconds spent waiting for the load to drop under QUIET_LOAD first (0 with --no-wait or when already quiet). */
  waitedSec: number;
}

let current: RunLoad | null = null;

export function load1m(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** Called by `npm run bench` just before each bench starts. */
export function markBenchStart(waitedSec = 0, before1m = load1m()): void {
  current = { before1m, waitedSec };
}

/** The load recorded at the start of this bench (the load now, if the bench was started some other way). */
export function benchStartLoad(): RunLoad {
  return current ?? { before1m: load1m(), waitedSec: 0 };
}

/** True when the run started at or above QUIET_LOAD: its figures are not quiet ones. */
export function isLoaded(before1m: number): boolean {
  return before1m >= QUIET_LOAD;
}

/** What each MET/MISS line adds for a loaded run (nothing for a quiet one). */
export function loadNote(before1m: number): string {
  return isLoaded(before1m) ? ` (loaded: ${before1m} — not a quiet figure)` : '';
}

/** "MET name: value unit (target …)", marked when the run started loaded. */
export function targetLine(t: { name: string; value: number; unit: string; target: string; met: boolean }, before1m: number): string {
  return `${t.met ? 'MET' : 'MISS'}${loadNote(before1m)} ${t.name}: ${t.value} ${t.unit} (target ${t.target})`;
}

export function machine(): { cpus: number; model: string; node: string; platform: string } {
  return { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.versions.node, platform: process.platform };
}

/**
 * Waits (polling every `pollMs`) until the 1-minute load is under QUIET_LOAD or `maxMs` passed; says that it waits.
 * Returns the seconds waited and the load it ended at.
 */
export async function waitForQuiet(opts: { maxMs?: number; pollMs?: number; say?: (line: string) => void; read?: () => number } = {}): Promise<{ waitedSec: number; load: number }> {
  const { maxMs = 60_000, pollMs = 5_000, say = (l: string) => console.log(l), read = load1m } = opts;
  const t0 = Date.now();
  let load = read();
  if (load < QUIET_LOAD) return { waitedSec: 0, load };
  say(`load average (1 min) is ${load}: waiting up to ${Math.round(maxMs / 1000)} s for it to drop under ${QUIET_LOAD} (--no-wait skips this)`);
  while (load >= QUIET_LOAD && Date.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, maxMs - (Date.now() - t0)))));
    load = read();
  }
  const waitedSec = Math.round((Date.now() - t0) / 1000);
  say(load < QUIET_LOAD ? `load is ${load} after ${waitedSec} s: starting` : `load is still ${load} after ${waitedSec} s: starting anyway; this run's figures are marked as loaded`);
  return { waitedSec, load };
}
