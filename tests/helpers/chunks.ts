import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';

const ffprobe = () => resolveBinary('ffprobe').path!;
const ffmpeg = () => resolveBinary('ffmpeg').path!;

/** x264 options for a 25 fps test clip with a keyframe every second, so 2–3 s chunks cut it into several pieces. */
export const KEYFRAME_EVERY_SECOND = ['-g', '25', '-keyint_min', '25', '-sc_threshold', '0'];

/** Video frames (packets) and stream duration of a file, read from the container. */
export async function videoFrames(path: string): Promise<{ frames: number; durationSec: number }> {
  const r = await runProcess(ffprobe(), ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets,duration', '-of', 'json', path], { timeoutMs: 60_000 });
  const s = (JSON.parse(r.stdout) as { streams: { nb_read_packets: string; duration?: string }[] }).streams[0]!;
  return { frames: Number(s.nb_read_packets), durationSec: Number(s.duration ?? 'NaN') };
}

/** The audio packets' times: continuity means each starts where the previous ended. */
export async function audioGaps(path: string): Promise<{ packets: number; endSec: number; maxGapSec: number }> {
  const r = await runProcess(ffprobe(), ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', path], { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 * 1024 });
  const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(',').map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
  let maxGap = 0;
  for (let i = 1; i < rows.length; i++) maxGap = Math.max(maxGap, Math.abs(rows[i]![0] - (rows[i - 1]![0] + rows[i - 1]![1])));
  const last = rows.at(-1);
  return { packets: rows.length, endSec: last ? last[0] + last[1] : 0, maxGapSec: maxGap };
}

/** Mean SSIM of `a` against `b` (same size), and the per-frame PSNR (for alignment checks). */
export async function compareVideos(a: string, b: string): Promise<{ ssim: number; minPsnr: number; frames: number }> {
  const r = await runProcess(ffmpeg(), ['-hide_banner', '-nostdin', '-i', a, '-i', b, '-lavfi', '[0:v]split[a1][a2];[1:v]split[b1][b2];[a1][b1]ssim;[a2][b2]psnr=stats_file=-', '-f', 'null', '-'], { timeoutMs: 300_000, maxOutputBytes: 64 * 1024 * 1024 });
  const ssim = Number(/SSIM .*All:([\d.]+)/.exec(r.stderr)?.[1] ?? 'NaN');
  const psnrs = [...r.stdout.matchAll(/psnr_avg:([\d.]+|inf)/g)].map((m) => (m[1] === 'inf' ? 100 : Number(m[1])));
  return { ssim, minPsnr: Math.min(...psnrs), frames: psnrs.length };
}

/** FFMPEG_PATH to a wrapper that runs chunk encodes at the source's pace (-re), so a test can stop them midway. */
export function pacedChunksEnv(dir: string): NodeJS.ProcessEnv {
  const path = join(dir, 'ffmpeg');
  writeFileSync(path, `#!/bin/sh\ncase "$*" in\n  *-frames:v*) exec "${ffmpeg()}" -re "$@" ;;\n  *) exec "${ffmpeg()}" "$@" ;;\nesac\n`);
  chmodSync(path, 0o755);
  return { ...process.env, FFMPEG_PATH: path };
}

/** Pids of live (not zombie) ffmpeg processes whose command line names a file under dir. */
export function ffmpegsUnder(dir: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      if (/ffmpeg/.test(args[0] ?? '') && args.some((a) => a.includes(`${dir}/`))) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

/** The finished chunk files of a job's work folder with their modification times. */
export function chunkTimes(workDir: string): Map<string, number> {
  const m = new Map<string, number>();
  if (!existsSync(workDir)) return m;
  for (const n of readdirSync(workDir)) if (n.startsWith('unit-chunk-')) m.set(n, statSync(join(workDir, n)).mtimeMs);
  return m;
}
