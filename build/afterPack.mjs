// electron-builder afterPack hook: puts Electron's build of better-sqlite3 into the package (the project's
// node_modules keeps Node's build, so tests and `church` from the checkout never need a rebuild), and the
// Linux `church` launcher beside the executable.
import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureElectronNative } from '../scripts/start/electronNative.js';

const ARCH = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

export default async function afterPack(context) {
  const packager = context.packager;
  const electronVersion = packager.config.electronVersion ?? packager.info.framework.version;
  const platform = context.electronPlatformName;
  const arch = ARCH[context.arch] ?? String(context.arch);
  const resources = packager.getResourcesDir(context.appOutDir);
  const target = join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(target)) throw new Error(`afterPack: ${target} is missing; is better-sqlite3 still unpacked from the asar?`);
  const { binding } = await ensureElectronNative({ root: packager.info.projectDir, electronVersion, platform, arch, log: (m) => console.log(`  • ${m}`) });
  copyFileSync(binding, target);
  if (platform === 'linux') {
    const launcher = join(context.appOutDir, 'church');
    writeFileSync(launcher, `#!/bin/sh\n# The studio's CLI on the app's own runtime: church <command> … (church mcp for LLM agents).\nhere="$(dirname "$(readlink -f "$0")")"\nexec "$here/${packager.executableName}" --cli "$@"\n`);
    chmodSync(launcher, 0o755);
  }
}
