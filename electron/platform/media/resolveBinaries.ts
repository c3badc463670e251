import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, sep } from 'node:path';
import type { BinaryInfo } from '../../../shared/dto/system';

export type MediaTool = 'ffmpeg' | 'ffprobe';

const require = createRequire(import.meta.url);

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** In a packaged app the static binaries are unpacked beside the asar archive, not inside it. */
function unpackedPath(p: string): string {
  return p.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

/**
 * Looked up once per process: a package that failed to load is not cached by require, and searching for it again
 * cost every job start milliseconds on a loaded host. Installing it needs a restart anyway.
 */
const staticPackagePaths = new Map<MediaTool, string | null>();

function fromStaticPackage(tool: MediaTool): string | null {
  if (staticPackagePaths.has(tool)) return staticPackagePaths.get(tool)!;
  const p = loadStaticPackage(tool);
  staticPackagePaths.set(tool, p);
  return p;
}

function loadStaticPackage(tool: MediaTool): string | null {
  try {
    if (tool === 'ffmpeg') {
      // Optional dependency: absent when its binary download failed at install time.
      const p = require('ffmpeg-static') as string | null;
      return p ? unpackedPath(p) : null;
    }
    const mod = require('ffprobe-static') as { path?: string };
    return mod.path ? unpackedPath(mod.path) : null;
  } catch {
    return null;
  }
}

function fromPath(tool: MediaTool, env: NodeJS.ProcessEnv): string | null {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, tool + ext.toLowerCase());
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

export interface ResolvedBinary {
  path: string | null;
  source: BinaryInfo['source'];
  problem?: string;
}

/**
 * `FFMPEG_PATH` (or `FFPROBE_PATH`) → the static package → the PATH. An env variable that points at
 * nothing usable is reported, not silently skipped: the owner set it for a reason.
 */
export function resolveBinary(tool: MediaTool, env: NodeJS.ProcessEnv = process.env): ResolvedBinary {
  const envName = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const fromEnv = env[envName];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv, source: 'env' };
    return { path: null, source: 'missing', problem: `${envName} is set to ${fromEnv}, which is not an executable file; fix or unset it` };
  }
  const pkg = fromStaticPackage(tool);
  if (pkg && isExecutable(pkg)) return { path: pkg, source: 'static-package' };
  const onPath = fromPath(tool, env);
  if (onPath) return { path: onPath, source: 'path' };
  return {
    path: null,
    source: 'missing',
    problem: `${tool} was not found: install it (e.g. "apt-get install ffmpeg"), or set ${envName} to its full path`,
  };
}
