import { dirname } from 'node:path';
import type { BinaryInfo } from '../../../shared/dto/system';
import { runProcess } from '../process';
import { resolveBinary, type MediaTool } from './resolveBinaries';

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." → "5.1.9-0+deb12u1" */
export function parseVersionLine(tool: MediaTool, text: string): string | null {
  const m = new RegExp(`^${tool} version (\\S+)`, 'm').exec(text);
  return m?.[1] ?? null;
}

/** Lines of `ffmpeg -encoders` look like " V....D libx264   libx264 H.264 / AVC ...". */
export function parseEncoders(text: string): string[] {
  const names: string[] = [];
  let body = false;
  for (const line of text.split('\n')) {
    if (/^\s*-{6}/.test(line)) {
      body = true;
      continue;
    }
    if (!body) continue;
    const m = /^\s*[VAS][.A-Z]{5}\s+(\S+)/.exec(line);
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}

const HARDWARE_ENCODER = /_(nvenc|qsv|vaapi|amf|videotoolbox|v4l2m2m|mf)$/;

export async function describeBinary(tool: MediaTool, env: NodeJS.ProcessEnv = process.env): Promise<BinaryInfo> {
  const r = resolveBinary(tool, env);
  if (!r.path) return { path: null, source: r.source, version: null, problem: r.problem };
  const res = await runProcess(r.path, ['-hide_banner', '-version'], { timeoutMs: 10_000 });
  const version = parseVersionLine(tool, res.stdout) ?? parseVersionLine(tool, `${tool} version ${res.stdout}`);
  if (res.spawnError || res.code !== 0) {
    return { path: r.path, source: r.source, version: null, problem: `${tool} at ${r.path} did not run: ${res.spawnError ?? res.stderr.trim().split('\n').pop() ?? `exit ${res.code}`}` };
  }
  return { path: r.path, source: r.source, version };
}

export async function describeFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<BinaryInfo & { encoders: string[]; hardwareEncoders: string[] }> {
  const info = await describeBinary('ffmpeg', env);
  if (!info.path || info.problem) return { ...info, encoders: [], hardwareEncoders: [] };
  const res = await runProcess(info.path, ['-hide_banner', '-encoders'], { timeoutMs: 10_000 });
  const encoders = parseEncoders(res.stdout);
  return { ...info, encoders, hardwareEncoders: encoders.filter((e) => HARDWARE_ENCODER.test(e)) };
}

/** "5.1.9-0+deb12u1" → "5.1.9", "n6.1" → "6.1", "4.0.2-static" → "4.0.2"; a git build's own text as it is. */
function releaseOf(version: string): string {
  return /^n?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? version;
}

/**
 * A warning when ffmpeg and ffprobe are not the same release (probes would read files differently from the
 * encoder that then reads them), with the ffprobe to use instead; null when they match or one is missing.
 */
export function versionMismatch(ffmpeg: BinaryInfo, ffprobe: BinaryInfo): string | null {
  if (!ffmpeg.version || !ffprobe.version || releaseOf(ffmpeg.version) === releaseOf(ffprobe.version)) return null;
  const where = (b: BinaryInfo) => `${b.version} (${b.source}: ${b.path})`;
  const fix =
    ffmpeg.source === 'static-package'
      ? 'update ffmpeg-static and ffprobe-static together, or set FFMPEG_PATH and FFPROBE_PATH to one build of both'
      : `set FFPROBE_PATH to the ffprobe of the same build as this ffmpeg (usually in ${dirname(ffmpeg.path ?? '')}), or install the package that has both (e.g. "apt-get install ffmpeg")`;
  return `ffprobe ${where(ffprobe)} is not the same release as ffmpeg ${where(ffmpeg)}: probes may read files differently from the encoder; ${fix}`;
}
