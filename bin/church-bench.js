#!/usr/bin/env node
// `npm run bench [name...] [-- --option value]`: runs bench/<name>.bench.ts (all of them by default). Each bench writes its
// figures to bench/results/<name>.json and prints a summary.
import { register } from 'tsx/esm/api';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

register();
const dir = join(import.meta.dirname, '..', 'bench');
// Options (`--only quality`) are the benches' own: they read process.argv; here only names count.
const argv = process.argv.slice(2);
const wanted = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const names = wanted.length ? wanted : all;
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
    await mod.run();
  } catch (e) {
    console.error(`bench ${name} failed:`, e);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
