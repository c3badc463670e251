// better-sqlite3 for Electron, kept apart from Node's build: Node's stays in node_modules/better-sqlite3 (tests and
// `church` load it), Electron's is fetched or compiled in a scratch copy of the package and kept in
// <project>/node_modules/.cache/church-electron/<versions>/, which the window's main process loads through
// better-sqlite3's nativeBinding option. Nothing is ever rebuilt back and forth.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { StartError } from './electronRuntime.js';

const require = createRequire(import.meta.url);

function run(file, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      err += `\ntook longer than ${Math.round(timeoutMs / 60_000)} minutes`;
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, err: e.message });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, err });
    });
  });
}

function lastWords(err) {
  const lines = err.split('\n').map((l) => l.replace(/^prebuild-install (warn|WARN|info|err!?)\s*/i, '').trim()).filter((l) => l && !l.startsWith('at '));
  return (lines.at(-1) ?? 'no output').slice(0, 200);
}

export function electronBindingPath(root, electronVersion, platform = process.platform, arch = process.arch) {
  const pkg = JSON.parse(readFileSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'package.json'), 'utf8'));
  // CHURCH_ELECTRON_NATIVE_DIR: where the packaging test keeps its stand-in build, away from the checkout's cache.
  const base = process.env.CHURCH_ELECTRON_NATIVE_DIR ?? join(root, 'node_modules', '.cache', 'church-electron');
  return join(base, `better-sqlite3-${pkg.version}-electron-${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node');
}

/** Returns the path of Electron's better-sqlite3 binary, getting it first when missing. */
export async function ensureElectronNative({ root, electronVersion, env = process.env, platform = process.platform, arch = process.arch, log = () => {} }) {
  const target = electronBindingPath(root, electronVersion, platform, arch);
  if (existsSync(target)) return { binding: target, built: false };
  log(`Getting better-sqlite3 for Electron ${electronVersion} (first start only; the Node build is left as it is)…`);
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const scratch = mkdtempSync(join(tmpdir(), 'church-electron-native-'));
  try {
    const copy = join(scratch, 'better-sqlite3');
    // The sources without Node's build: what is compiled or unpacked here can never land on Node's file.
    cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build') + sep) && src !== join(pkgDir, 'build') });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const pkgRequire = createRequire(join(pkgDir, 'package.json'));
    const prebuilt = await run(pkgRequire.resolve('prebuild-install/bin.js'), ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform, '--verbose'], {
      cwd: copy,
      env,
      timeoutMs: 5 * 60_000,
    });
    let fromSource = null;
    // Unreachable host: compiling would need Electron's headers from the network too, so say so now, not after a
    // long wait. Only a missing prebuilt (a 404) is worth a source build.
    const unreachable = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up/.test(prebuilt.err);
    if (unreachable && !existsSync(built)) fromSource = { ok: false, err: 'skipped: the network is unreachable' };
    else if (!prebuilt.ok || !existsSync(built)) {
      let gyp = null;
      try {
        gyp = require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        // electron-builder brings node-gyp; without it there is no compiler path to try.
      }
      fromSource = gyp
        ? await run(gyp, ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${env.ELECTRON_HEADERS_MIRROR ?? 'https://electronjs.org/headers'}`], { cwd: copy, env, timeoutMs: 15 * 60_000 })
        : { ok: false, err: 'node-gyp is not installed' };
    }
    if (!existsSync(built)) {
      throw new StartError(
        `could not get better-sqlite3 for Electron ${electronVersion} (prebuilt download: ${lastWords(prebuilt.err)}; build from source: ${lastWords(fromSource?.err ?? '')}). ` +
          'Without it, "npm run serve" opens the same studio in your browser; behind a mirror, set npm_config_better_sqlite3_binary_host_mirror.',
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    const staging = `${target}.${process.pid}.tmp`;
    cpSync(built, staging);
    renameSync(staging, target);
    return { binding: target, built: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
