#!/usr/bin/env node
// The README's test command: builds the app (the e2e tests drive the built renderer), runs every vitest
// project, and ends with the one line CI reads: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeAbi } from './ensure-node-abi.js';

const root = join(import.meta.dirname, '..');
const report = join(root, 'test-results', 'vitest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });
rmSync(report, { force: true });

if (!ensureNodeAbi()) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
// Static checks count as tests: a type error or lint error fails the run like a failing test would.
const checks = [
  ['typecheck', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck (renderer)', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']],
  ['typecheck (e2e)', ['tsc', '-p', 'tsconfig.e2e.json', '--noEmit']],
  ['lint', ['eslint', '.']],
  ['build', ['electron-vite', 'build', '--logLevel', 'warn']],
  ['build (CLI)', ['scripts/build-cli.js'], process.execPath],
];
let checkFailures = 0;
for (const [label, args, bin = npx] of checks) {
  const r = spawnSync(bin, args, { cwd: root, stdio: 'inherit' });
  console.log(`${r.status === 0 ? '✓' : '✗'} ${label}`);
  if (r.status !== 0) checkFailures++;
}
if (checkFailures) {
  console.log(`0 passed, ${checkFailures} failed`);
  process.exit(1);
}

const extra = process.argv.slice(2);
const run = spawnSync(npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = r.numPendingTests + r.numTodoTests;
  // A suite that failed to load has no tests counted; count it as a failure.
  for (const s of r.testResults ?? []) if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) failed++;
} catch {
  failed = Math.max(failed, 1);
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
