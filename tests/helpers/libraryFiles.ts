import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProbeResult } from '../../shared/dto/probe';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import { makeClip, type ClipSpec } from './media';

async function ffmpeg(args: string[]): Promise<void> {
  const bin = resolveBinary('ffmpeg').path;
  if (!bin) throw new Error('ffmpeg is required for the library tests');
  const r = await runProcess(bin, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
}

/** An audio-only AAC file from lavfi. */
export async function makeAudio(out: string, seconds = 1): Promise<string> {
  mkdirSync(dirname(out), { recursive: true });
  await ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=44100:duration=${seconds}`, '-c:a', 'aac', '-b:a', '48k', out]);
  return out;
}

/** A PNG still (from lavfi), written under whatever name is asked for: "an image named .mp4". */
export async function makeImage(out: string): Promise<string> {
  mkdirSync(dirname(out), { recursive: true });
  const png = `${out}.tmp.png`;
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48', '-frames:v', '1', png]);
  copyFileSync(png, out);
  rmSync(png);
  return out;
}

export async function clip(out: string, spec: ClipSpec = {}): Promise<string> {
  mkdirSync(dirname(out), { recursive: true });
  return makeClip(out, { seconds: 1, ...spec });
}

/** The first `bytes` of a real clip: its index (moov, written last) is cut off. */
export function truncateCopy(from: string, to: string, bytes = 4096): string {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, readFileSync(from).subarray(0, bytes));
  return to;
}

export function write(path: string, data: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/** The probe of a small H.264 video, for rows written straight into the store (no file behind them). */
export function syntheticProbe(): ProbeResult {
  return {
    container: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 10,
    bitRate: 1_000_000,
    sizeBytes: 1000,
    streams: [{ index: 0, type: 'video', codec: 'h264', profile: null, pixFmt: 'yuv420p', bitDepth: 8, width: 320, height: 240, rotation: 0, fps: 25, sampleRate: null, channels: null, language: null, attachedPic: false, bitRate: null }],
    display: { width: 320, height: 240 },
    kind: 'video',
  };
}

export { join };
