#!/usr/bin/env node
// The `church` command: the compiled CLI in out/cli (built by `npm run build`, `npm test` and on install). A source
// checkout that has not been built yet falls back to the TypeScript sources through tsx, a dev dependency.
import nodeModule from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Node 22's on-disk compile cache (in the OS temp folder, node-compile-cache/, Node's default, or $NODE_COMPILE_CACHE):
// the bundle's V8 code is compiled once, not at every start (about a fifth of `church list`'s start, measured).
// A namespace read, not a named import: an older Node (which lacks it) must still reach the message below that
// says which Node to use.
nodeModule.enableCompileCache?.();
const compiled = join(import.meta.dirname, '..', 'out', 'cli', 'main.js');
let main;
try {
  if (existsSync(compiled)) {
    ({ main } = await import(pathToFileURL(compiled).href));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../electron/cli/main.ts'));
  }
} catch (e) {
  const message = String(e?.message ?? e);
  if (/NODE_MODULE_VERSION|was compiled against|did not self-register/.test(message)) {
    console.error('church: better-sqlite3 in node_modules is not built for this Node; run "npm rebuild better-sqlite3"');
  } else if (e?.code === 'ERR_MODULE_NOT_FOUND' && /tsx/.test(message)) {
    console.error('church: the CLI is not built; run "npm run build" first');
  } else {
    console.error(`church: ${message.split('\n')[0]}`);
  }
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
