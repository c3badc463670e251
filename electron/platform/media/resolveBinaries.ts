import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, sep } from 'node:path';
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

/** The tool in one folder (with Windows' executable extensions), or null. */
function inFolder(dir: string, tool: MediaTool, env: NodeJS.ProcessEnv): string | null {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const ext of exts) {
    const candidate = join(dir, tool + ext.toLowerCase());
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function fromPath(tool: MediaTool, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const found = inFolder(dir, tool, env);
    if (found) return found;
  }
  return null;
}

export interface ResolvedBinary {
  path: string | null;
  source: BinaryInfo['source'];
  problem?: string;
}

/**
 * ffmpeg: `FFMPEG_PATH` → the static package → the PATH. An env variable that points at nothing usable is
 * reported, not silently skipped: the owner set it for a reason.
 *
 * ffprobe: `FFPROBE_PATH` when set; else from where ffmpeg came from, so the two read files alike (Debian's ffmpeg
 * 5.1 beside ffprobe-static's 2018 build probed what the encoder then read differently): beside FFMPEG_PATH, the
 * ffprobe-static package only with ffmpeg-static, the PATH (ffmpeg's own folder first) with the PATH's ffmpeg.
 * An FFMPEG_PATH with no ffprobe beside it (a wrapper script) takes the PATH's.
 */
export function resolveBinary(tool: MediaTool, env: NodeJS.ProcessEnv = process.env): ResolvedBinary {
  const envName = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const fromEnv = env[envName];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv, source: 'env' };
    return { path: null, source: 'missing', problem: `${envName} is set to ${fromEnv}, which is not an executable file; fix or unset it` };
  }
  if (tool === 'ffprobe') {
    const paired = ffprobeBesideFfmpeg(env);
    if (paired) return paired;
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

/** The ffprobe that belongs with the ffmpeg in use; null when no ffmpeg is found (then ffprobe is looked up alone). */
function ffprobeBesideFfmpeg(env: NodeJS.ProcessEnv): ResolvedBinary | null {
  const ffmpeg = resolveBinary('ffmpeg', env);
  if (!ffmpeg.path) return null;
  if (ffmpeg.source === 'env') {
    const beside = inFolder(dirname(ffmpeg.path), 'ffprobe', env);
    if (beside) return { path: beside, source: 'env' };
    // A wrapper script (nice, a pinned core, a tracer) often stands alone: the PATH's ffprobe then, and the
    // doctor's release check says when it is not of the ffmpeg's build.
    const onPath = fromPath('ffprobe', env);
    if (onPath) return { path: onPath, source: 'path' };
    return { path: null, source: 'missing', problem: `FFMPEG_PATH is ${ffmpeg.path}, and there is no ffprobe beside it or on the PATH; put the ffprobe of the same build beside it, or set FFPROBE_PATH to it` };
  }
  if (ffmpeg.source === 'static-package') {
    const pkg = fromStaticPackage('ffprobe');
    if (pkg && isExecutable(pkg)) return { path: pkg, source: 'static-package' };
  }
  const beside = inFolder(dirname(ffmpeg.path), 'ffprobe', env) ?? fromPath('ffprobe', env);
  if (beside) return { path: beside, source: 'path' };
  return { path: null, source: 'missing', problem: `there is no ffprobe to go with ffmpeg at ${ffmpeg.path}: install the package that has both (e.g. "apt-get install ffmpeg"), or set FFPROBE_PATH` };
}
