#!/usr/bin/env node
// `npm start`: the desktop app from a source checkout. Gets the Electron runtime (first start), Electron's own build
// of better-sqlite3 (first start, kept apart from Node's), builds the app, and runs it. Any failure is one line
// saying what to do, and a non-zero exit. `--no-build` launches what out/ already holds.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureElectronNative } from './start/electronNative.js';
import { StartError, ensureElectronRuntime } from './start/electronRuntime.js';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const log = (m) => console.error(`npm start: ${m}`);

function step(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new StartError(`${args[0] ?? file} failed (exit ${code}); see the output above`))));
  });
}

async function main() {
  const runtime = await ensureElectronRuntime({ log });
  const native = await ensureElectronNative({ root, electronVersion: runtime.version, log });
  if (!process.argv.includes('--no-build')) {
    await step(require.resolve('electron-vite/bin/electron-vite.js'), ['build', '--logLevel', 'warn']);
    await step(join(root, 'scripts', 'build-cli.js'), []);
  }
  const entry = join(root, 'out', 'main', 'index.js');
  if (!existsSync(entry)) throw new StartError(`${entry} is missing; run "npm run build" (or npm start without --no-build)`);
  const env = { ...process.env, CHURCH_SQLITE_BINDING: native.binding };
  // The renderer comes from out/ (electron-vite dev is the mode with a dev server).
  delete env.ELECTRON_RENDERER_URL;
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(runtime.executable, [root, ...process.argv.slice(2).filter((a) => a !== '--no-build')], { cwd: root, env, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  return code;
}

try {
  process.exitCode = await main();
} catch (e) {
  log(e instanceof StartError ? e.message : String(e?.message ?? e).split('\n')[0]);
  process.exitCode = 1;
}
