import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runProcess } from '../electron/platform/process';

// Helpers for the "web preset vs HandBrakeCLI" figure: find the CLI, build its command, and score outputs
// with SSIM. HandBrakeCLI is only a yardstick here; the studio never runs it.

export type HandBrakeCli = { path: string; version: string } | { path: null; why: string };

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** HANDBRAKE_CLI, else HandBrakeCLI on PATH (Debian's `handbrake-cli` package installs it as /usr/bin/HandBrakeCLI). */
export async function findHandBrakeCli(env: NodeJS.ProcessEnv = process.env): Promise<HandBrakeCli> {
  const fromEnv = env.HANDBRAKE_CLI;
  const candidates = fromEnv ? [fromEnv] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'HandBrakeCLI'));
  const path = candidates.find(executable);
  if (!path) {
    return {
      path: null,
      why: fromEnv
        ? `HANDBRAKE_CLI is set to ${fromEnv}, which is not an executable file`
        : 'HandBrakeCLI is not on PATH (install Debian\'s "handbrake-cli" package, or set HANDBRAKE_CLI to its full path)',
    };
  }
  const r = await runProcess(path, ['--version'], { timeoutMs: 30_000 });
  const version = /HandBrake\s+(\S+)/.exec(`${r.stdout}\n${r.stderr}`)?.[1];
  if (!version) return { path: null, why: `${path} --version did not report a HandBrake version (exit ${r.code}): ${r.stderr.slice(-300)}` };
  return { path, version };
}

/**
 * The HandBrake side of the comparison: x264 `fast`, RF 23, AAC 128k, web-optimized MP4 (the recipe).
 * The CLI's default job adds nothing that would make the comparison unfair (its log shows only the VFR
 * passthrough and an identity crop/scale), but autocrop and the filter defaults are pinned off explicitly so a
 * letterboxed source or another HandBrake version cannot quietly encode fewer pixels or spend time on filters.
 */
export function handbrakeArgs(input: string, output: string, p: { x264Preset: string; rf: number; audioKbps: number }): string[] {
  return [
    '-i', input,
    '-o', output,
    '--format', 'av_mp4',
    '--optimize',
    '-e', 'x264', '--encoder-preset', p.x264Preset, '-q', String(p.rf),
    '--crop', '0:0:0:0', '--non-anamorphic',
    '--no-comb-detect', '--no-deinterlace', '--no-decomb', '--no-detelecine', '--no-hqdn3d', '--no-nlmeans', '--no-deblock', '--no-grayscale',
    '--vfr', // keep the source's frame timing (HandBrake's "same as source")
    '-a', '1', '-E', 'av_aac', '-B', String(p.audioKbps), '--mixdown', 'stereo', '--arate', 'auto',
  ];
}

/**
 * SSIM of `distorted` against `reference` (ffmpeg's ssim filter, the "All" value: Y, U and V weighted by
 * plane size). Both streams are restarted at t=0 so an edit list or start offset cannot shift frames apart.
 */
export async function ssimAll(ffmpeg: string, distorted: string, reference: string): Promise<number> {
  const r = await runProcess(
    ffmpeg,
    ['-hide_banner', '-nostdin', '-i', distorted, '-i', reference, '-lavfi', '[0:v]setpts=PTS-STARTPTS[d];[1:v]setpts=PTS-STARTPTS[r];[d][r]ssim', '-an', '-f', 'null', '-'],
    { timeoutMs: 600_000 },
  );
  const m = /SSIM .*All:([0-9.]+)/.exec(r.stderr);
  if (r.code !== 0 || !m) throw new Error(`ssim of ${distorted} failed (exit ${r.code}): ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

/** Clock ticks per second for /proc times (getconf CLK_TCK; 100 on every Linux this runs on). */
export async function clockTicksPerSec(): Promise<number> {
  const r = await runProcess('getconf', ['CLK_TCK'], { timeoutMs: 10_000 });
  const n = Number(r.stdout.trim());
  return r.code === 0 && Number.isFinite(n) && n > 0 ? n : 100;
}

/**
 * CPU time (user + system, ms) of this process's reaped children so far: Linux's cutime + cstime of
 * /proc/self/stat. Read before and after one side of a comparison, it gives that side's CPU work (ffmpeg,
 * ffprobe, HandBrakeCLI), which, unlike wall time, hardly moves when other work loads the machine.
 * Null where /proc is not available.
 */
export function childrenCpuMs(ticksPerSec: number): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[13]) + Number(rest[14])) * 1000) / ticksPerSec;
  } catch {
    return null;
  }
}
