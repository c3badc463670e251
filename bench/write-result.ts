import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../electron/platform/fs';

/** Every bench writes one JSON file: what was measured, on what machine, and whether each target was met. */
export interface BenchTarget {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

export function writeBenchResult(name: string, data: { targets: BenchTarget[]; details?: Record<string, unknown> }): void {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const body = {
    bench: name,
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.versions.node, platform: process.platform, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
    ...data,
  };
  writeFileAtomic(join(dir, `${name}.json`), JSON.stringify(body, null, 2) + '\n');
  console.log(`load average (1 min) at the end of the run: ${body.machine.loadAverage1m}`);
  for (const t of data.targets) console.log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.value} ${t.unit} (target ${t.target})`);
}
