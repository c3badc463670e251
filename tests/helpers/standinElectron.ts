import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * A stand-in Electron executable: records its arguments and the binding the start path handed it, then exits 0.
 * It is the one part that cannot exist here (no Electron runtime can be downloaded on this machine).
 */
export function writeStandinElectron(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'electron');
  writeFileSync(
    exe,
    `#!/bin/sh
{ printf 'argv'; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\n'; printf 'binding\\037%s\\n' "$CHURCH_SQLITE_BINDING"; printf 'renderer\\037%s\\n' "\${ELECTRON_RENDERER_URL:-}"; } >> "$STANDIN_ELECTRON_LOG"
exit 0
`,
  );
  chmodSync(exe, 0o755);
  writeFileSync(join(dir, 'version'), `v${version}`);
  return exe;
}

export interface Launch {
  argv: string[];
  binding: string;
  renderer: string;
}

export function readLaunches(log: string): Launch[] {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return [];
  }
  const launches: Launch[] = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const [key, ...rest] = line.split('\x1f');
    if (key === 'argv') launches.push({ argv: rest, binding: '', renderer: '' });
    else if (key === 'binding') launches.at(-1)!.binding = rest[0] ?? '';
    else if (key === 'renderer') launches.at(-1)!.renderer = rest[0] ?? '';
  }
  return launches;
}

/** Zips a folder with the system's zip (Info-ZIP keeps the executable bit, as Electron's release zips do). */
export function zipFolder(dir: string, zipFile: string): Buffer {
  const r = spawnSync('zip', ['-q', '-r', '-X', zipFile, '.'], { cwd: dir, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`zip failed: ${r.stderr?.toString() ?? r.error?.message}`);
  return readFileSync(zipFile);
}

/** A .tar.gz of one file at `name` inside the archive, as prebuild-install expects (build/Release/x.node). */
export function tarGz(rootDir: string, name: string, outFile: string): Buffer {
  const r = spawnSync('tar', ['-czf', outFile, '-C', rootDir, name], { timeout: 60_000 });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr?.toString() ?? r.error?.message}`);
  return readFileSync(outFile);
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An HTTP server on 127.0.0.1 serving fixed files by path; records every request. */
export async function serveFiles(files: Map<string, Buffer>): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Electron's module ABI as prebuild-install computes it (with its own node-abi), for the prebuilt's file name. */
export function electronAbi(version: string): string {
  const fromRoot = createRequire(join(import.meta.dirname, '..', '..', 'package.json'));
  const fromSqlite = createRequire(fromRoot.resolve('better-sqlite3/package.json'));
  const fromPrebuild = createRequire(fromSqlite.resolve('prebuild-install/package.json'));
  return (fromPrebuild('node-abi') as { getAbi(v: string, runtime: string): string }).getAbi(version, 'electron');
}
