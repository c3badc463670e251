import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../electron/platform/process';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { electronAbi, readLaunches, serveFiles, sha256, tarGz, writeStandinElectron, zipFolder } from '../helpers/standinElectron';

const root = join(import.meta.dirname, '..', '..');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const sqliteVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const platformArch = `${process.platform}-${process.arch}`;

/**
 * A checkout laid out like this one, in a temp folder: its own copy of the electron package (whose dist/ the start
 * path fills) and of the start scripts, every other dependency linked to this checkout's. The real node_modules is
 * never written to, so a stand-in runtime can never end up where the Electron smoke test looks for a real one.
 */
function scratchCheckout(): string {
  const dir = tempDir('church-start-');
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  cpSync(join(root, 'scripts'), join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === 'electron' || name === '.cache' || name === '.bin') continue;
    symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
  }
  const electronPkg = join(root, 'node_modules', 'electron');
  cpSync(electronPkg, join(dir, 'node_modules', 'electron'), { recursive: true, filter: (src) => !/[\\/](dist|path\.txt)$/.test(src) && !src.includes(`${join(electronPkg, 'dist')}/`) });
  // What `npm run build` leaves; the start path is run with --no-build here (the build is npm test's own step).
  mkdirSync(join(dir, 'out', 'main'), { recursive: true });
  writeFileSync(join(dir, 'out', 'main', 'index.js'), '// built main entry\n');
  return dir;
}

function startEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  delete env.ELECTRON_RENDERER_URL;
  return env;
}

describe('npm start', () => {
  it('fetches the runtime and the Electron build of better-sqlite3 from a mirror, then launches the built app', async () => {
    const work = tempDir('church-mirror-');
    const zipName = `electron-v${electronVersion}-${platformArch}.zip`;
    writeStandinElectron(join(work, 'release'), electronVersion);
    const zip = zipFolder(join(work, 'release'), join(work, zipName));
    mkdirSync(join(work, 'prebuilt', 'build', 'Release'), { recursive: true });
    writeFileSync(join(work, 'prebuilt', 'build', 'Release', 'better_sqlite3.node'), 'stand-in Electron build of better-sqlite3');
    const tarName = `better-sqlite3-v${sqliteVersion}-electron-v${electronAbi(electronVersion)}-${platformArch}.tar.gz`;
    const tarball = tarGz(join(work, 'prebuilt'), 'build', join(work, tarName));
    const mirror = await serveFiles(
      new Map([
        [`/v${electronVersion}/${zipName}`, zip],
        [`/v${electronVersion}/SHASUMS256.txt`, Buffer.from(`${sha256(zip)} *${zipName}\n`)],
        [`/prebuilt/v${sqliteVersion}/${tarName}`, tarball],
      ]),
    );
    const nodeBuildHash = sha256(readFileSync(nodeBuild));
    const checkout = scratchCheckout();
    const log = join(work, 'launches.log');
    const env = startEnv({
      ELECTRON_MIRROR: `${mirror.url}/`,
      electron_use_remote_checksums: '1',
      electron_config_cache: join(work, 'electron-cache'),
      npm_config_better_sqlite3_binary_host: `${mirror.url}/prebuilt`,
      npm_config_cache: join(work, 'npm-cache'),
      STANDIN_ELECTRON_LOG: log,
      ELECTRON_RENDERER_URL: 'http://127.0.0.1:9/not-used',
    });
    try {
      const first = await runProcess(process.execPath, [join(checkout, 'scripts', 'start.js'), '--no-build'], { env, timeoutMs: 180_000 });
      expect(first.code, first.stderr).toBe(0);
      expect(mirror.requests).toEqual(expect.arrayContaining([`/v${electronVersion}/${zipName}`, `/v${electronVersion}/SHASUMS256.txt`, `/prebuilt/v${sqliteVersion}/${tarName}`]));
      // Unpacked where the electron package keeps its runtime, and cached where electron_config_cache says.
      expect(readFileSync(join(checkout, 'node_modules', 'electron', 'path.txt'), 'utf8')).toBe('electron');
      expect(existsSync(join(checkout, 'node_modules', 'electron', 'dist', 'electron'))).toBe(true);
      expect(JSON.stringify(readdirSync(join(work, 'electron-cache'), { recursive: true }))).toContain(zipName);

      const [launch] = readLaunches(log);
      expect(launch!.argv[0]).toBe(checkout);
      expect((JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { main: string }).main).toBe('out/main/index.js');
      expect(launch!.renderer).toBe('');
      expect(launch!.binding).toBe(join(checkout, 'node_modules', '.cache', 'church-electron', `better-sqlite3-${sqliteVersion}-electron-${electronVersion}-${platformArch}`, 'better_sqlite3.node'));
      expect(readFileSync(launch!.binding, 'utf8')).toBe('stand-in Electron build of better-sqlite3');

      // Node's build was not touched, and Node still loads it: the CLI needs no rebuild.
      expect(sha256(readFileSync(nodeBuild))).toBe(nodeBuildHash);
      const list = await church(['list', '--json', '--data-dir', tempDir()]);
      expect(list.code, list.stderr).toBe(0);

      // The second start downloads nothing.
      const before = mirror.requests.length;
      const second = await runProcess(process.execPath, [join(checkout, 'scripts', 'start.js'), '--no-build'], { env, timeoutMs: 60_000 });
      expect(second.code, second.stderr).toBe(0);
      expect(mirror.requests.length).toBe(before);
      expect(readLaunches(log)).toHaveLength(2);
    } finally {
      await mirror.close();
    }
  }, 300_000);

  it('offline: one line saying what failed and what to do, non-zero exit, no stack trace', async () => {
    const down = await serveFiles(new Map());
    await down.close(); // the port is now closed: every download is refused at once
    const checkout = scratchCheckout();
    const work = tempDir('church-offline-');
    const r = await runProcess(process.execPath, [join(checkout, 'scripts', 'start.js'), '--no-build'], {
      env: startEnv({ ELECTRON_MIRROR: `${down.url}/`, electron_use_remote_checksums: '1', electron_config_cache: join(work, 'cache') }),
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toContain(`could not download the Electron ${electronVersion} runtime`);
    expect(lines.at(-1)).toContain('npm run serve');
    expect(lines.at(-1)).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(lines.length).toBeLessThanOrEqual(2); // the "downloading…" note, then the failure
  });

  it('ELECTRON_OVERRIDE_DIST_PATH pointing at nothing is named in one line', async () => {
    const checkout = scratchCheckout();
    const missing = join(tempDir(), 'no-electron-here');
    const r = await runProcess(process.execPath, [join(checkout, 'scripts', 'start.js'), '--no-build'], { env: { ...startEnv({}), ELECTRON_OVERRIDE_DIST_PATH: missing }, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${join(missing, 'electron')} does not exist`);
  });
});
