import type { ProbeResult } from '../../../../shared/dto/probe';
import { ffmpegInput } from '../thumbnailArgs';
import { describeSize, fitShortSide, renditionName, shortSide, type Size } from './sizing';
import { audioStream, videoStream, BASE_FLAGS, displaySize, fmtSec, PresetError, refusePercentInHlsFolder, segmentKeyframes, type BuiltCommand } from './common';
import type { LadderParams, Rendition } from './schema';

export interface PlannedRendition extends Rendition {
  width: number;
  /**
   * The folder name of its playlist inside the ladder folder and its NAME in the master playlist: its short
   * side, "720p" for 1280x720 and for a 720x1280 phone clip alike.
   */
  name: string;
  /** True when it has the source's size: no scaler in its path. */
  sourceSize: boolean;
}

/**
 * The renditions worth encoding. A rendition's `height` is its short side (a 1080p portrait rendition is
 * 1080x1920), so a portrait source gets the same rungs as a landscape one of the same quality. Rungs larger
 * than the source are skipped (upscaling only wastes bits); when every rung is larger, the smallest one is kept
 * at the source's own size, so a small video still gets a ladder of one. Sizes keep the display aspect ratio
 * (rotation and non-square pixels applied); non-square sources are always scaled, so every rendition has
 * square pixels and its RESOLUTION= in the master playlist is what a player shows.
 */
export function planRenditions(display: Size, renditions: readonly Rendition[], squarePixels = true): PlannedRendition[] {
  const short = shortSide(display);
  const sorted = [...renditions].sort((a, b) => b.height - a.height);
  let kept = sorted.filter((r) => r.height <= short);
  if (kept.length === 0) {
    const smallest = sorted[sorted.length - 1]!;
    kept = [{ height: short, videoKbps: smallest.videoKbps }];
  }
  const evenSource = display.height % 2 === 0 && display.width % 2 === 0;
  return kept.map((r) => {
    const sourceSize = squarePixels && evenSource && r.height >= short - 1;
    const size = sourceSize ? display : fitShortSide(display, r.height);
    return { ...r, height: size.height, width: size.width, name: renditionName(size), sourceSize };
  });
}

/**
 * One ffmpeg process for the whole ladder: the source is decoded once and split; each rendition is scaled
 * (unless it has the source's size, in a cascade from the next larger one) and encoded with keyframes forced on the same segment boundaries, so
 * players can switch between renditions at any segment. Audio is encoded once and shared by all renditions
 * through an audio group. Output: `<outDir>/master.m3u8` and `<outDir>/<name>/index.m3u8` per rendition.
 */
export function buildLadderArgs(input: string, probe: ProbeResult, params: LadderParams, outDir: string): { command: BuiltCommand; renditions: PlannedRendition[] } {
  const display = displaySize(probe, 'the ladder preset');
  refusePercentInHlsFolder(outDir, 'the ladder preset');
  if (probe.durationSec !== null && probe.durationSec <= 0) throw new PresetError('the video has no duration; HLS needs at least one frame');
  const renditions = planRenditions(display, params.renditions, !videoStream(probe)?.sar);
  const a = audioStream(probe);
  const n = renditions.length;
  // A cascade: each rendition is scaled from the next larger one, not from the source, so the smaller
  // scalers read fewer pixels (the filter graph runs on ffmpeg's main thread and would starve the encoders).
  const graph: string[] = [];
  let from = '[0:v]';
  renditions.forEach((r, i) => {
    const scale = r.sourceSize ? '' : `scale=${r.width}:${r.height}:flags=bicubic,setsar=1,`;
    const last = i === n - 1;
    graph.push(`${from}${scale}format=yuv420p${last ? `[v${i}]` : `,split=2[v${i}][t${i}]`}`);
    from = `[t${i}]`;
  });
  const args = [...BASE_FLAGS, '-i', ffmpegInput(input), '-filter_complex', graph.join(';')];
  renditions.forEach((_, i) => args.push('-map', `[v${i}]`));
  if (a) args.push('-map', '0:a:0');
  args.push('-c:v', 'libx264', '-preset', params.x264Preset, '-force_key_frames', segmentKeyframes(params.segmentSec), '-sc_threshold', '0', '-profile:v', 'high');
  renditions.forEach((r, i) => {
    args.push(`-b:v:${i}`, `${r.videoKbps}k`, `-maxrate:v:${i}`, `${Math.round(r.videoKbps * 1.07)}k`, `-bufsize:v:${i}`, `${r.videoKbps * 2}k`);
  });
  if (a) {
    args.push('-c:a', 'aac', '-b:a', `${params.audioKbps}k`);
    if ((a.channels ?? 2) > 2) args.push('-ac', '2');
  }
  const streamMap = renditions.map((r, i) => (a ? `v:${i},agroup:aud,name:${r.name}` : `v:${i},name:${r.name}`));
  if (a) streamMap.unshift('a:0,agroup:aud,name:audio');
  args.push(
    '-map_metadata', '-1',
    '-f', 'hls',
    '-hls_time', fmtSec(params.segmentSec),
    '-hls_playlist_type', 'vod',
    '-hls_flags', 'independent_segments',
    '-master_pl_name', 'master.m3u8',
    '-var_stream_map', streamMap.join(' '),
    '-hls_segment_filename', `${outDir}/%v/seg_%05d.ts`,
    `${outDir}/%v/index.m3u8`,
  );
  const plan = `ladder in one process: ${renditions.map((r) => `${describeSize(r)} ${r.videoKbps}k${r.sourceSize ? ' (source size, no scaling)' : ''}`).join(', ')}${a ? '; audio encoded once, shared' : '; no audio'}`;
  const short = shortSide(display);
  const skipped = params.renditions.filter((r) => r.height > short).map((r) => `${r.height}p`);
  return { command: { args, plan: skipped.length ? `${plan}; skipped above the source's ${short}p: ${skipped.join(', ')}` : plan, durationSec: probe.durationSec }, renditions };
}
