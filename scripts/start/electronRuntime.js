// The Electron runtime for `npm start`: the one ELECTRON_OVERRIDE_DIST_PATH names, else the one the electron package
// keeps in node_modules/electron/dist, fetched when missing through the package's own installer (install.js, which
// honours ELECTRON_MIRROR, electron_config_cache and electron_use_remote_checksums like `npm install` would).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export class StartError extends Error {}

export function executableName(platform = process.platform) {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return platform === 'win32' ? 'electron.exe' : 'electron';
}

export function electronPackage() {
  const dir = dirname(require.resolve('electron/package.json'));
  return { dir, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}

function installed(dir) {
  try {
    const exe = readFileSync(join(dir, 'path.txt'), 'utf8');
    return existsSync(join(dir, 'dist', exe)) ? join(dir, 'dist', exe) : null;
  } catch {
    return null;
  }
}

/** The installer's last words, as one line: the reason, not its stack trace. */
function reason(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  const line = lines.find((l) => /error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|status|checksum|404/i.test(l)) ?? lines[0] ?? 'no output';
  return line.replace(/^(Request)?Error:\s*/, '').slice(0, 300);
}

const WHAT_TO_DO =
  'Without it, "npm run serve" opens the same studio in your browser. ' +
  'To use an Electron runtime you already have, set ELECTRON_OVERRIDE_DIST_PATH to its folder; to download through a mirror, set ELECTRON_MIRROR.';

/** Resolves the runtime's executable, downloading it if needed; throws a StartError with one line to show. */
export async function ensureElectronRuntime({ env = process.env, timeoutMs = 15 * 60_000, log = () => {} } = {}) {
  const pkg = electronPackage();
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(env.ELECTRON_OVERRIDE_DIST_PATH, executableName());
    if (!existsSync(exe)) throw new StartError(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${exe} does not exist. Point it at the folder that holds the Electron executable, or unset it to download Electron ${pkg.version}.`);
    return { executable: exe, version: pkg.version, downloaded: false };
  }
  const present = installed(pkg.dir);
  if (present) return { executable: present, version: pkg.version, downloaded: false };
  log(`Downloading the Electron ${pkg.version} runtime (first start only)…`);
  const stderr = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(pkg.dir, 'install.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      err += `\nError: the download took longer than ${Math.round(timeoutMs / 60_000)} minutes`;
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : err);
    });
  });
  const exe = installed(pkg.dir);
  if (stderr !== null || !exe) throw new StartError(`could not download the Electron ${pkg.version} runtime (${reason(stderr ?? 'the installer left no executable')}). ${WHAT_TO_DO}`);
  return { executable: exe, version: pkg.version, downloaded: true };
}
