#!/usr/bin/env node
// The `church` command runs the TypeScript services directly through tsx, so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
let main;
try {
  ({ main } = await import('../electron/cli/main.ts'));
} catch (e) {
  if (/NODE_MODULE_VERSION|was compiled against/.test(String(e?.message))) {
    console.error('church: better-sqlite3 is currently built for Electron (npm start rebuilds it); run "npm run rebuild:node" to use the CLI');
    process.exit(1);
  }
  throw e;
}
process.exitCode = await main(process.argv.slice(2));
