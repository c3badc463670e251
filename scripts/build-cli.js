#!/usr/bin/env node
// Compiles the `church` CLI (and the MCP server it starts) to JavaScript in out/cli/: one entry, and one chunk per
// domain loaded on demand, so a command pays only for the modules it uses. Pure-JS dependencies are bundled in
// (resolving zod's hundred ES modules one by one cost more than running them); native and binary-carrying
// packages stay in node_modules, and so do those the services load only when used (createRequire).
import { build } from 'esbuild';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/**
 * `import { createServer } from 'node:http'` in an ES module makes Node build the module's ESM facade, which reads
 * every export, including the lazy `WebSocket`, `CloseEvent` and `MessageEvent` getters: that loads and compiles
 * undici (with its llhttp WebAssembly), 13 ms of every `church` start measured with --cpu-prof, for an HTTP client
 * the CLI never uses. The bundle takes node:http through require() instead and re-exports its plain values only.
 */
const requireBuiltins = {
  name: 'require-builtins',
  setup(b) {
    // ES imports only: a bundled CommonJS package's require('http') already goes through require().
    b.onResolve({ filter: /^(node:)?http$/ }, (args) => (args.kind === 'import-statement' ? { path: args.path.replace(/^node:/, ''), namespace: 'church-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'church-builtin' }, (args) => {
      const mod = createRequire(import.meta.url)(args.path);
      const names = Object.entries(Object.getOwnPropertyDescriptors(mod))
        .filter(([name, d]) => !d.get && /^[A-Za-z_$][\w$]*$/.test(name))
        .map(([name]) => name);
      return {
        contents: `const m = require('node:${args.path}');\nexport default m;\n${names.map((n) => `export const ${n} = m.${n};`).join('\n')}\n`,
        loader: 'js',
      };
    });
  },
};

export async function buildCli({ quiet = false } = {}) {
  const outdir = join(root, 'out', 'cli');
  // Built beside and swapped in, so a `church` started meanwhile never sees half a build.
  const staging = `${outdir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'electron/cli/main.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // bullmq and ioredis (the lab) stay in node_modules: loaded only with a lab, and bullmq reads files of its own.
    external: ['better-sqlite3', 'ffmpeg-static', 'ffprobe-static', 'electron', 'bufferutil', 'utf-8-validate', 'bullmq', 'ioredis'],
    // Bundled CommonJS packages (ws) call require(); an ES module has none unless it is made.
    banner: { js: "import { createRequire as __churchCreateRequire } from 'node:module'; const require = __churchCreateRequire(import.meta.url);" },
    plugins: [requireBuiltins],
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: false,
    legalComments: 'none',
    // Less to read and scan at every cold start (the CLI prints one-line errors, never stacks).
    minify: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  // Node looks up the package scope of every module it loads (is it ESM?) by walking up to the nearest package.json,
  // opening each folder's on the way. One beside the chunks ends the walk at once: `church list` went from 469
  // openat() calls to 142 and from 444 to 411 ms of CPU (perf stat -r 5, ±1.3 %, on a loaded machine).
  const scope = JSON.stringify({ type: 'module', private: true }) + '\n';
  writeFileSync(join(staging, 'package.json'), scope);
  writeFileSync(join(staging, 'chunks', 'package.json'), scope);
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
  return join(outdir, 'main.js');
}

if (process.argv[1] === import.meta.filename) await buildCli();
