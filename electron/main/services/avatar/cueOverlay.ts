import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { PNG as PngType } from 'pngjs';

// Loaded when an overlay is drawn, not at every start.
const require = createRequire(import.meta.url);
import { avatarSegments, drawOverlayFrame, type AvatarCue, type AvatarSegment, type OverlayLook } from '../../../../shared/avatar';

export interface CueOverlayFiles {
  /** The ffconcat list: feed it to ffmpeg with `-f concat -safe 0 -i <path>`. */
  path: string;
  /** The runs of one state it encodes, in order (start/end in seconds). */
  segments: AvatarSegment[];
  /** The distinct PNG files written (a state that comes back reuses its picture). */
  files: string[];
}

/**
 * Writes a cue track as full-frame transparent PNGs (one per distinct state) and an ffconcat list giving each
 * its duration. The pictures come from the same avatarStateAt + drawAvatar the live preview uses, placed and
 * blended by the same placement code, so overlaying the list at 0:0 bakes exactly what the preview showed.
 */
export async function writeCueOverlay(
  cues: readonly AvatarCue[],
  look: OverlayLook,
  opts: { width: number; height: number; durationSec: number; workDir: string },
): Promise<CueOverlayFiles | null> {
  const width = Math.round(opts.width);
  const height = Math.round(opts.height);
  if (!(width > 0 && height > 0 && width <= 8192 && height <= 8192)) {
    throw new Error(`the avatar overlay needs a frame size between 1x1 and 8192x8192; got ${opts.width}x${opts.height}`);
  }
  const segments = avatarSegments(cues, opts.durationSec);
  if (cues.length === 0 || segments.length === 0) return null;
  await mkdir(opts.workDir, { recursive: true });
  const fileOf = new Map<string, string>();
  const { PNG } = require('pngjs') as { PNG: typeof PngType };
  const lines = ['ffconcat version 1.0'];
  for (const seg of segments) {
    const key = JSON.stringify(seg.state);
    let file = fileOf.get(key);
    if (!file) {
      file = `avatar-${String(fileOf.size).padStart(4, '0')}.png`;
      const png = new PNG({ width, height });
      png.data = Buffer.from(drawOverlayFrame(look, seg.state, width, height).buffer);
      // Fast over small: these are a job's temporary inputs, mostly transparent rows that compress well anyway.
      await writeFile(join(opts.workDir, file), PNG.sync.write(png, { colorType: 6, filterType: 0, deflateLevel: 1 }));
      fileOf.set(key, file);
      // Drawing and encoding a full frame takes tens of milliseconds: let the main process breathe between them.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    lines.push(`file '${file}'`, `duration ${(seg.end - seg.start).toFixed(6)}`);
  }
  // The concat demuxer ignores the last entry's duration unless the file is listed once more.
  lines.push(`file '${fileOf.get(JSON.stringify(segments[segments.length - 1]!.state))!}'`);
  const path = join(opts.workDir, 'avatar.ffconcat');
  await writeFile(path, lines.join('\n') + '\n');
  return { path, segments, files: [...fileOf.values()] };
}
