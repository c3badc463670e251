import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PNG as PngType } from 'pngjs';
import { ensureBubbleFonts } from './bubbleFonts';
import { avatarFrameAt, drawOverlayFrameAt, frameKey, orderCues, type AvatarCue, type FaceBook, type FaceImage, type LoudnessTrack, type OverlayLook } from '../../../shared/avatar';

export interface CueOverlayFiles {
  /** The ffconcat list: feed it to ffmpeg with `-f concat -safe 0 -i <path>`. */
  path: string;
  /** The runs of one picture, in order: frame index range [fromFrame, toFrame) and the file shown. */
  runs: { fromFrame: number; toFrame: number; file: string }[];
  /** The distinct PNG files written (a picture that comes back reuses its file). */
  files: string[];
  fps: number;
}

export interface CueOverlayOptions {
  width: number;
  height: number;
  durationSec: number;
  workDir: string;
  /** The video's frame rate: the avatar is evaluated at every frame's time (default 30). */
  fps?: number | null;
  /** The mouth follows this loudness track (lip sync). */
  loudness?: LoudnessTrack | null;
  /** Blink seed (the video id), or null for no blinking. */
  blinkSeed?: number | null;
  /** false: only the bubble (the owner's picture is the face). */
  face?: boolean;
  /** The user's expressions by name. */
  faces?: FaceBook;
  /** The owner's picture as the face. */
  faceImage?: FaceImage | null;
}

/** A frame rate as ffmpeg reads it: NTSC rates as their exact fraction (30000/1001), others as given. */
export function frameRateOption(fps: number): string {
  const ntsc = fps * 1.001;
  if (!Number.isInteger(fps) && Math.abs(ntsc - Math.round(ntsc)) < 1e-3) return `${Math.round(ntsc) * 1000}/1001`;
  return String(Math.round(fps * 1000) / 1000);
}

// Loaded when an overlay is drawn, not at every start.
const require = createRequire(import.meta.url);

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes a cue track as full-frame transparent PNGs and an ffconcat list that shows each for its frames. The
 * avatar is evaluated at every frame's time with the same avatarFrameAt + drawOverlayFrameAt the preview uses
 * for the frame it shows; equal neighbouring frames share one entry and a picture that comes back reuses its
 * file. Each entry starts half a frame before its first frame, so rounding in the concat demuxer can never
 * give a frame its neighbour's picture (see the list writer below).
 */
export async function writeCueOverlay(cues: readonly AvatarCue[], look: OverlayLook, opts: CueOverlayOptions): Promise<CueOverlayFiles | null> {
  const width = Math.round(opts.width);
  const height = Math.round(opts.height);
  if (!(width > 0 && height > 0 && width <= 8192 && height <= 8192)) {
    throw new Error(`the avatar overlay needs a frame size between 1x1 and 8192x8192; got ${opts.width}x${opts.height}`);
  }
  if (cues.length === 0 || !(opts.durationSec > 0)) return null;
  const fps = opts.fps && opts.fps > 0 && opts.fps <= 240 ? opts.fps : 30;
  const frames = Math.max(1, Math.ceil(opts.durationSec * fps - 1e-6));
  const ordered = orderCues(cues);
  ensureBubbleFonts();
  await mkdir(opts.workDir, { recursive: true });
  const fileOf = new Map<string, string>();
  const { PNG } = require('pngjs') as { PNG: typeof PngType };
  const runs: CueOverlayFiles['runs'] = [];
  let lastKey = '';
  for (let k = 0; k < frames; k++) {
    const frame = avatarFrameAt(ordered, k / fps, { loudness: opts.loudness, blinkSeed: opts.blinkSeed });
    const key = frameKey(frame);
    if (key === lastKey) {
      runs[runs.length - 1]!.toFrame = k + 1;
      continue;
    }
    lastKey = key;
    let file = fileOf.get(key);
    if (!file) {
      file = `avatar-${String(fileOf.size).padStart(5, '0')}.png`;
      const png = new PNG({ width, height });
      png.data = Buffer.from(drawOverlayFrameAt(look, frame, width, height, { face: opts.face, faces: opts.faces, faceImage: opts.faceImage }).buffer);
      // Fast over small: these are a job's temporary inputs, mostly transparent rows that compress well anyway.
      await writeFile(join(opts.workDir, file), PNG.sync.write(png, { colorType: 6, filterType: 0, deflateLevel: 1 }));
      fileOf.set(key, file);
      // Drawing and encoding a full frame takes milliseconds to tens of them: let the main process breathe.
      await yieldToLoop();
    } else if (k % 500 === 0) await yieldToLoop();
    runs.push({ fromFrame: k, toFrame: k + 1, file });
  }
  const lines = ['ffconcat version 1.0'];
  // Each picture is read at the video's frame rate, so the list's timestamps are in whole frames (the image
  // demuxer's default, 25, would round them onto another grid); an entry starts a quarter frame early so
  // its first frame can never round to the frame before.
  const rate = frameRateOption(fps);
  const boundary = (k: number) => (k === 0 ? 0 : (k - 0.25) / fps);
  runs.forEach((r, i) => {
    const end = i === runs.length - 1 ? Math.max(opts.durationSec, boundary(r.toFrame)) : boundary(r.toFrame);
    lines.push(`file '${r.file}'`, `option framerate ${rate}`, `duration ${(end - boundary(r.fromFrame)).toFixed(6)}`);
  });
  // The concat demuxer ignores the last entry's duration unless the file is listed once more.
  lines.push(`file '${runs[runs.length - 1]!.file}'`, `option framerate ${rate}`);
  const path = join(opts.workDir, 'avatar.ffconcat');
  await writeFile(`${path}.tmp`, lines.join('\n') + '\n');
  await rename(`${path}.tmp`, path);
  return { path, runs, files: [...fileOf.values()], fps };
}
