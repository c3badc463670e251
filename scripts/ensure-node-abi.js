// better-sqlite3 is a native module: `npm start` / `npm run package` rebuild it for Electron's ABI, after which
// plain Node (tests, the church CLI) cannot load it. This puts back the Node build when that has happened.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function ensureNodeAbi() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch (e) {
    if (!/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|was compiled against|did not self-register/.test(String(e?.message ?? e))) throw e;
    console.error('better-sqlite3 is built for Electron; rebuilding it for Node…');
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
    return r.status === 0;
  }
}

if (process.argv[1] === import.meta.filename) process.exit(ensureNodeAbi() ? 0 : 1);
