import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Electron's build of better-sqlite3 for a window started from a source checkout (`npm start`, `npm run dev`,
 * `electron .`): CHURCH_SQLITE_BINDING from the start script, else the folder where scripts/start/electronNative.js
 * keeps it for this Electron version. A packaged app has Electron's build in place: undefined, and the variable is
 * not read, so the environment cannot make an installed app load another native module.
 */
export function electronSqliteBinding(isPackaged: boolean, appPath: string, env: NodeJS.ProcessEnv = process.env, electronVersion = process.versions.electron): string | undefined {
  if (isPackaged) return undefined;
  if (env.CHURCH_SQLITE_BINDING) return env.CHURCH_SQLITE_BINDING;
  try {
    const pkgFile = createRequire(join(appPath, 'package.json')).resolve('better-sqlite3/package.json');
    const { version } = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
    // The node_modules that holds better-sqlite3, also when Electron was pointed at out/main/index.js directly.
    const base = env.CHURCH_ELECTRON_NATIVE_DIR ?? join(dirname(dirname(pkgFile)), '.cache', 'church-electron');
    const file = join(base, `better-sqlite3-${version}-electron-${electronVersion}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
