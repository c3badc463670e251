import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../electron/platform/fs';
import { quickRun } from './measure';
import { benchStartLoad, isLoaded, load1m, machine, QUIET_LOAD, targetLine } from './load';

/** Every bench writes one JSON file: what was measured, on what machine, under what load, and whether each target was met. */
export interface BenchTarget {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

/** The result file's body (pure, so tests read it without a run). */
export function benchResultBody(name: string, data: { targets: BenchTarget[]; details?: Record<string, unknown> }, load: { before1m: number; after1m: number; waitedSec: number }, at = new Date()) {
  return {
    bench: name,
    at: at.toISOString(),
    machine: machine(),
    load: {
      before1m: load.before1m,
      after1m: load.after1m,
      waitedSec: load.waitedSec,
      // A run that started at or above QUIET_LOAD (2 cores) is not a quiet figure, met or not.
      quiet: !isLoaded(load.before1m),
      quietBelow: QUIET_LOAD,
    },
    ...data,
  };
}

export function writeBenchResult(name: string, data: { targets: BenchTarget[]; details?: Record<string, unknown> }): void {
  // A --quick run proves the bench runs; its figures must not replace a full run's.
  const dir = quickRun() ? join(tmpdir(), 'church-bench-quick') : join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const start = benchStartLoad();
  const body = { ...benchResultBody(name, data, { ...start, after1m: load1m() }), ...(quickRun() ? { quick: true } : {}) };
  writeFileAtomic(join(dir, `${name}.json`), JSON.stringify(body, null, 2) + '\n');
  if (quickRun()) console.log(`quick run: figures written to ${join(dir, `${name}.json`)}, not to bench/results`);
  console.log(`load average (1 min): ${body.load.before1m} at the start, ${body.load.after1m} at the end${body.load.quiet ? '' : ' — not a quiet run'}`);
  for (const t of data.targets) console.log(targetLine(t, body.load.before1m));
}
