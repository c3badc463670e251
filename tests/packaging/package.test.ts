import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../electron/platform/process';
import { tempDir } from '../helpers/tempDir';
import { electronAbi, serveFiles, sha256, tarGz } from '../helpers/standinElectron';

const root = join(import.meta.dirname, '..', '..');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const sqliteVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const MB = 1024 * 1024;

/**
 * A stand-in Electron distribution (no runtime can be downloaded here): an executable carrying the fuse wire as
 * Electron ships it (version 1, eight fuses in Electron's defaults), so electron-builder flips real fuses.
 */
function standinDist(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), `#!/bin/sh\nexit 0\n# ${FUSE_SENTINEL}\x01\x0810110001\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'version'), electronVersion);
  return dir;
}

function du(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + du(join(path, name)), 0);
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the packaged app (electron-builder --dir, linux x64)', () => {
  it('carries the compiled app, CLI and MCP, Electron’s own native build, one ffprobe, fuses set, under 100 MB', async () => {
    if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
      throw new Error('out/ is not built: run "npm run build" (npm test builds it before the tests)');
    }
    const work = tempDir('church-package-');
    // Electron's better-sqlite3 comes the way `npm start` gets it: a prebuilt from the (mirrored) release host.
    mkdirSync(join(work, 'prebuilt', 'build', 'Release'), { recursive: true });
    writeFileSync(join(work, 'prebuilt', 'build', 'Release', 'better_sqlite3.node'), 'stand-in Electron build of better-sqlite3');
    const abi = electronAbi(electronVersion);
    const tarName = `better-sqlite3-v${sqliteVersion}-electron-v${abi}-linux-x64.tar.gz`;
    const mirror = await serveFiles(new Map([[`/prebuilt/v${sqliteVersion}/${tarName}`, tarGz(join(work, 'prebuilt'), 'build', join(work, tarName))]]));
    const nodeBuildHash = sha256(readFileSync(nodeBuild));
    const output = join(work, 'release');
    try {
      const r = await runProcess(
        process.execPath,
        [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--dir', '--linux', '--x64', '--config', 'build/electron-builder.yml', `-c.electronDist=${standinDist(join(work, 'dist'))}`, `-c.directories.output=${output}`],
        {
          cwd: root,
          env: { ...process.env, CHURCH_ELECTRON_NATIVE_DIR: join(work, 'native'), npm_config_better_sqlite3_binary_host: `${mirror.url}/prebuilt`, npm_config_cache: join(work, 'npm-cache') },
          timeoutMs: 600_000,
        },
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
    } finally {
      await mirror.close();
    }

    const app = join(output, 'linux-unpacked');
    const resources = join(app, 'resources');
    const files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/cli/main.js']) expect(files, f).toContain(f);
    expect(files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^\/(tests|bench|electron|shared|renderer|scripts|node_modules\/(tsx|esbuild|@esbuild|vitest|vite|typescript|electron|electron-builder|playwright|eslint))(\/|$)/.test(f))).toEqual([]);
    // Presets and icons beside the archive, where the packaged app looks for them.
    expect(existsSync(join(resources, 'presets'))).toBe(true);
    expect(readdirSync(join(resources, 'presets')).some((f) => f.endsWith('.json'))).toBe(true);
    expect(existsSync(join(resources, 'icon.png'))).toBe(true);
    // The systemd user units (docs/systemd.md) ship beside them, for a lab box that runs the .deb's `church`.
    expect(readdirSync(join(resources, 'systemd')).sort()).toEqual(['church-agent@.service', 'church-serve.service']);
    // The native module is unpacked, and it is Electron's build, not Node's (which stays as it was).
    const unpackedNode = join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    expect(readFileSync(unpackedNode, 'utf8')).toBe('stand-in Electron build of better-sqlite3');
    expect(sha256(readFileSync(nodeBuild))).toBe(nodeBuildHash);
    // Only this platform's ffprobe.
    expect(readdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'ffprobe-static', 'bin'))).toEqual(['linux']);
    expect(readdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'ffprobe-static', 'bin', 'linux'))).toEqual(['x64']);
    // `church` beside the executable runs the CLI on the app's runtime.
    const launcher = readFileSync(join(app, 'church'), 'utf8');
    expect(launcher).toContain('"$here/bambisleep-church-studio" --cli "$@"');
    expect(statSync(join(app, 'church')).mode & 0o111).not.toBe(0);

    const fuses = await getCurrentFuseWire(join(app, 'bambisleep-church-studio'));
    const on = (o: FuseV1Options) => String.fromCharCode(fuses[o] as number);
    expect(on(FuseV1Options.RunAsNode)).toBe('0');
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe('1');
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');

    const payload = du(join(resources, 'app.asar')) + du(join(resources, 'app.asar.unpacked'));
    console.log(`packaged app payload (app.asar + unpacked, no Electron runtime): ${(payload / MB).toFixed(1)} MB; ${files.length} entries in app.asar`);
    expect(payload).toBeLessThanOrEqual(100 * MB);
  }, 900_000);
});
