import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import type { ProbeResult } from '../../../shared/dto/probe';
import { writeFileAtomic } from '../../platform/fs';
import { buildPosterArgs, buildSpriteArgs, buildSpriteVtt, parseShowinfoTimes, posterSeekSec, resolveBinary, spriteGeometry } from '../../platform/media';
import { runProcess } from '../../platform/process';

/** Where the generated files of one content fingerprint live: `<dataDir>/library-assets/ab/abcdef…/`. */
export function assetDir(assetsRoot: string, fingerprint: string): string {
  return join(assetsRoot, fingerprint.slice(0, 2), fingerprint);
}

export const POSTER_FILE = 'poster.jpg';
export const SPRITE_FILE = 'sprite.jpg';
export const SPRITE_VTT = 'sprite.vtt';

function nonEmpty(p: string): boolean {
  try {
    return statSync(p).size > 0;
  } catch {
    return false;
  }
}

export function assetState(assetsRoot: string, fingerprint: string): { poster: boolean; sprite: boolean } {
  const dir = assetDir(assetsRoot, fingerprint);
  return { poster: nonEmpty(join(dir, POSTER_FILE)), sprite: nonEmpty(join(dir, SPRITE_FILE)) && nonEmpty(join(dir, SPRITE_VTT)) };
}

export interface AssetOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
}

function ffmpegPath(env: NodeJS.ProcessEnv): string {
  const bin = resolveBinary('ffmpeg', env);
  if (!bin.path) throw new ChurchError('UNAVAILABLE', bin.problem ?? 'ffmpeg was not found');
  return bin.path;
}

function failure(what: string, stderr: string, timedOut: boolean): ChurchError {
  if (timedOut) return new ChurchError('TIMEOUT', `${what} took too long; the file may be damaged or on a slow disk`);
  const last = stderr.trim().split('\n').filter(Boolean).pop() ?? 'no output';
  return new ChurchError('EXTERNAL', `${what} failed: ${last}`);
}

/** Writes the poster (temp name, then rename). Falls back to the first frame if the seek point has none. */
export async function generatePoster(input: string, probe: ProbeResult, dir: string, opts: AssetOptions): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, POSTER_FILE);
  const tmp = join(dir, `.poster-${process.pid}-${randomBytes(4).toString("hex")}.jpg`);
  const ffmpeg = ffmpegPath(opts.env);
  try {
    for (const seekSec of [posterSeekSec(probe.durationSec), 0]) {
      const r = await runProcess(ffmpeg, buildPosterArgs({ input, output: tmp, seekSec, display: probe.display }), { timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal, killGraceMs: 500 });
      if (r.aborted) throw new ChurchError('CANCELLED', 'poster generation was cancelled');
      if (r.code === 0 && nonEmpty(tmp)) {
        renameSync(tmp, out);
        return;
      }
      if (r.timedOut || seekSec === 0) throw failure('the poster', r.stderr, r.timedOut);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Writes sprite.jpg and sprite.vtt from one keyframe-only ffmpeg pass. */
export async function generateSprite(input: string, probe: ProbeResult, dir: string, opts: AssetOptions): Promise<{ tiles: number }> {
  mkdirSync(dir, { recursive: true });
  const g = spriteGeometry(probe.durationSec, probe.display);
  const tmp = join(dir, `.sprite-${process.pid}-${randomBytes(4).toString("hex")}.jpg`);
  try {
    const r = await runProcess(ffmpegPath(opts.env), buildSpriteArgs(input, tmp, g), { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal, killGraceMs: 500, maxOutputBytes: 4 * 1024 * 1024 });
    if (r.aborted) throw new ChurchError('CANCELLED', 'sprite generation was cancelled');
    if (r.code !== 0 || !nonEmpty(tmp)) throw failure('the scrub sprite', r.stderr, r.timedOut);
    const times = parseShowinfoTimes(r.stderr);
    if (times.length === 0) throw new ChurchError('EXTERNAL', 'the scrub sprite has no frames: ffmpeg found no keyframes');
    // The VTT is written first and the image renamed last: a sprite image always has its VTT beside it.
    writeFileAtomic(join(dir, SPRITE_VTT), buildSpriteVtt(times, probe.durationSec, g, SPRITE_FILE));
    renameSync(tmp, join(dir, SPRITE_FILE));
    return { tiles: Math.min(times.length, g.columns * g.rows) };
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Poster and sprite for a video (audio items get none); only what is missing unless `force`. */
export async function ensureAssets(input: string, probe: ProbeResult, assetsRoot: string, fingerprint: string, opts: AssetOptions & { force?: boolean }): Promise<{ poster: boolean; sprite: boolean }> {
  if (probe.kind !== 'video') return { poster: false, sprite: false };
  const dir = assetDir(assetsRoot, fingerprint);
  const have = opts.force ? { poster: false, sprite: false } : assetState(assetsRoot, fingerprint);
  if (!have.poster) await generatePoster(input, probe, dir, opts);
  if (!have.sprite) await generateSprite(input, probe, dir, opts);
  return { poster: existsSync(join(dir, POSTER_FILE)), sprite: existsSync(join(dir, SPRITE_FILE)) };
}
