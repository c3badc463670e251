#!/usr/bin/env node
// `npm run bench [name...] [-- --option value]`: runs bench/<name>.bench.ts (all of them by default). Each bench writes its
// figures to bench/results/<name>.json and prints a summary. Before each bench it waits up to a minute for the
// 1-minute load average to drop under 1.0, so figures are quiet ones (`--no-wait` starts at once); a bench that
// starts loaded anyway says so in its result and in every MET/MISS line.
import { register } from 'tsx/esm/api';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

register();
const dir = join(import.meta.dirname, '..', 'bench');
// Flags without a value are this runner's; other options (`--only quality`) are the benches' own: they read
// process.argv; here only names count.
const FLAGS = ['--no-wait', '--quick'];
const argv = process.argv.slice(2);
const noWait = argv.includes('--no-wait');
const rest = argv.filter((a) => !FLAGS.includes(a));
const wanted = rest.filter((a, i) => !a.startsWith('--') && !rest[i - 1]?.startsWith('--'));
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const names = wanted.length ? wanted : all;
const { markBenchStart, waitForQuiet } = await import(pathToFileURL(join(dir, 'load.ts')).href);
let failed = 0;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`no bench named ${name}; have: ${all.join(', ')}`);
    failed++;
    continue;
  }
  console.log(`\n== bench ${name} ==`);
  try {
    const mod = await import(pathToFileURL(join(dir, `${name}.bench.ts`)).href);
    const { waitedSec } = noWait ? { waitedSec: 0 } : await waitForQuiet();
    markBenchStart(waitedSec);
    await mod.run();
  } catch (e) {
    console.error(`bench ${name} failed:`, e);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
