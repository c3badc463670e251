import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../fs';
import { runProcess } from '../process';

/**
 * An encoder compiled into ffmpeg is not one the machine can use: h264_nvenc is in Debian's ffmpeg on machines
 * without an NVIDIA card. An encoder counts as usable only after a tiny test encode succeeds. Results are cached
 * per ffmpeg binary (path, size, mtime) and version, since a test of every hardware encoder takes seconds.
 */
export interface EncoderCheck {
  usable: string[];
  failed: { name: string; reason: string }[];
  /** When the test encodes ran (a cached answer keeps the original time). */
  checkedAt: string;
}

const HARDWARE = /_(nvenc|qsv|vaapi|amf|videotoolbox|v4l2m2m|mf)$/;
/**
 * The software encoders the built-in presets use (H.264, AAC, JPEG posters and sprites); the rest of ffmpeg's list
 * is not worth a test each (libsvtav1 alone takes seconds to start).
 */
const PRESET_SOFTWARE = new Set(['libx264', 'aac', 'mjpeg']);
const AUDIO = new Set(['aac', 'libopus', 'libmp3lame']);

export function isHardwareEncoder(name: string): boolean {
  return HARDWARE.test(name);
}

/** Which compiled-in encoders get a test encode. */
export function encodersToTest(compiled: readonly string[]): string[] {
  return compiled.filter((e) => HARDWARE.test(e) || PRESET_SOFTWARE.has(e));
}

/** The arguments of one test encode: a fraction of a second of a synthetic source into the null muxer. */
export function testEncodeArgs(encoder: string, vaapiDevice = '/dev/dri/renderD128'): string[] {
  const head = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  if (AUDIO.has(encoder)) return [...head, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.2', '-c:a', encoder, '-f', 'null', '-'];
  const pre = encoder.endsWith('_vaapi') ? ['-vaapi_device', vaapiDevice] : [];
  const filter = encoder.endsWith('_vaapi') ? ['-vf', 'format=nv12,hwupload'] : encoder === 'png' ? [] : ['-pix_fmt', encoder === 'mjpeg' ? 'yuvj420p' : 'yuv420p'];
  // 256x144: some hardware encoders refuse frames smaller than their minimum (nvenc: 145x49, qsv: 128x96).
  return [...head, ...pre, '-f', 'lavfi', '-i', 'color=c=black:s=256x144:r=25:d=0.2', ...filter, '-frames:v', '3', '-c:v', encoder, '-f', 'null', '-'];
}

function firstErrorLine(stderr: string): string {
  const line = stderr.split('\n').map((l) => l.trim()).filter(Boolean).pop();
  return (line ?? 'no message').slice(0, 200);
}

interface CacheFile {
  key: string;
  result: EncoderCheck;
}

function cacheKey(ffmpegPath: string, version: string | null): string {
  let stamp = '';
  try {
    const s = statSync(ffmpegPath);
    stamp = `${s.size}:${s.mtimeMs}`;
  } catch {
    // not a file we can stat (a name on PATH resolved elsewhere): path + version only
  }
  return `${ffmpegPath}|${version ?? '?'}|${stamp}`;
}

export interface CheckOptions {
  ffmpegPath: string;
  version: string | null;
  compiled: readonly string[];
  /** A JSON file in the data dir; null never caches. */
  cacheFile: string | null;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs the test encodes (two at a time) or returns the cached answer for this exact binary. */
export async function checkUsableEncoders(opts: CheckOptions): Promise<EncoderCheck> {
  const key = cacheKey(opts.ffmpegPath, opts.version);
  if (opts.cacheFile) {
    try {
      const cached = JSON.parse(readFileSync(opts.cacheFile, 'utf8')) as Partial<CacheFile>;
      if (cached.key === key && cached.result && Array.isArray(cached.result.usable)) return cached.result;
    } catch {
      // missing or unreadable: test again
    }
  }
  const list = encodersToTest(opts.compiled);
  const usable: string[] = [];
  const failed: EncoderCheck['failed'] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const enc = list[next++]!;
      const r = await runProcess(opts.ffmpegPath, testEncodeArgs(enc), { timeoutMs: opts.timeoutMs ?? 10_000, env: opts.env, killGroup: true });
      if (r.code === 0 && !r.timedOut) usable.push(enc);
      else failed.push({ name: enc, reason: r.timedOut ? 'the test encode hung' : r.spawnError ?? firstErrorLine(r.stderr) });
    }
  };
  // Most hardware tests fail at once (no device, no driver): four at a time keeps doctor quick on two cores.
  await Promise.all([worker(), worker(), worker(), worker()]);
  const order = (a: string, b: string) => list.indexOf(a) - list.indexOf(b);
  const result: EncoderCheck = { usable: usable.sort(order), failed: failed.sort((a, b) => order(a.name, b.name)), checkedAt: new Date().toISOString() };
  if (opts.cacheFile) {
    try {
      writeFileAtomic(opts.cacheFile, JSON.stringify({ key, result } satisfies CacheFile), 0o600);
    } catch {
      // a read-only data dir only costs the next check its time
    }
  }
  return result;
}
