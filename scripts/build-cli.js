#!/usr/bin/env node
// Compiles the `church` CLI (and the MCP server it starts) to JavaScript in out/cli/: one entry, and one chunk per
// domain loaded on demand, so a command pays only for the modules it uses. Dependencies stay external (they are
// resolved from node_modules at run time, the native one included). Takes well under a second.
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

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
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: false,
    legalComments: 'none',
    logLevel: quiet ? 'error' : 'warning',
  });
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
  return join(outdir, 'main.js');
}

if (process.argv[1] === import.meta.filename) await buildCli();
