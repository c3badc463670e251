import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../electron/platform/fs';
import type { FaultRecord } from './faults';
import type { InvariantResult, Ledger } from './ledger';

export const load = () => loadavg().map((n) => Math.round(n * 100) / 100);

export interface SoakSummary {
  seed: number;
  minutes: number;
  replay: string;
  startedAt: string;
  durationSec: { workload: number; drain: number; total: number };
  machine: { cpus: number; model: string; node: string };
  loadAverage: { before: number[]; after: number[] };
  smallDisk: string;
  faults: { byKind: Record<string, { injected: number; skipped: number; failedToRecover: number }>; list: FaultRecord[] };
  workload: { actions: Record<string, number>; lostCalls: Record<string, number>; jobsQueued: number; lostEnqueues: number; backups: number; syncs: { ok: number; failed: number } };
  invariants: InvariantResult[];
  held: boolean;
}

export function faultsByKind(records: FaultRecord[]): SoakSummary['faults']['byKind'] {
  const by: SoakSummary['faults']['byKind'] = {};
  for (const r of records) {
    const k = (by[r.kind] ??= { injected: 0, skipped: 0, failedToRecover: 0 });
    if (r.skipped) k.skipped++;
    else k.injected++;
    if (r.error) k.failedToRecover++;
  }
  return by;
}

export function workloadSummary(ledger: Ledger): SoakSummary['workload'] {
  return { actions: ledger.actions, lostCalls: ledger.lostCalls, jobsQueued: ledger.jobs.size, lostEnqueues: ledger.lostEnqueues, backups: ledger.backups.length, syncs: ledger.syncs };
}

export function machine(): SoakSummary['machine'] {
  return { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.versions.node };
}

/** The invariants as a table on stdout, then each break under it. */
export function printTable(s: SoakSummary): void {
  const rows = s.invariants.map((i) => [i.held ? 'HELD' : 'BROKEN', i.name, i.checked]);
  const w0 = 6;
  const w1 = Math.max(9, ...rows.map((r) => r[1]!.length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c}`;
  console.log('\n' + line('', 'invariant', 'checked'));
  console.log(`${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+-${'-'.repeat(40)}`);
  for (const r of rows) console.log(line(r[0]!, r[1]!, r[2]!));
  for (const i of s.invariants.filter((x) => !x.held)) {
    console.log(`\nBROKEN: ${i.name}`);
    for (const b of i.breaks.slice(0, 30)) console.log(`  - ${b}`);
    if (i.breaks.length > 30) console.log(`  … and ${i.breaks.length - 30} more (bench/results/soak.json)`);
  }
  const faults = Object.entries(s.faults.byKind).map(([k, v]) => `${k} ${v.injected}${v.skipped ? ` (+${v.skipped} skipped)` : ''}`).join(', ');
  console.log(`\nfaults: ${faults || 'none'}`);
  console.log(`load average before ${s.loadAverage.before.join(' ')}, after ${s.loadAverage.after.join(' ')}; ${s.durationSec.total} s in all`);
  console.log(`${s.held ? 'every invariant held' : 'SOME INVARIANTS BROKE'} — seed ${s.seed}; replay: ${s.replay}`);
}

export function writeSummary(s: SoakSummary): string {
  const dir = join(import.meta.dirname, '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'soak.json');
  writeFileAtomic(file, JSON.stringify(s, null, 2) + '\n');
  return file;
}
