import type { ProbeResult } from '../../../../../shared/dto/probe';
import { ffmpegInput } from '../thumbnailArgs';
import { audioStream, BASE_FLAGS, displaySize, even, fmtSec, PresetError, refusePercentInHlsFolder, segmentKeyframes, type BuiltCommand } from './common';
import type { LadderParams, Rendition } from './schema';

export interface PlannedRendition extends Rendition {
  width: number;
  /** The folder name of its playlist inside the ladder folder, e.g. "720p". */
  name: string;
  /** True when it has the source's size: no scaler in its path. */
  sourceSize: boolean;
}

/**
 * The renditions worth encoding: those not taller than the source (upscaling only wastes bits). When every
 * configured rendition is taller, the smallest one is kept at the source's own height, so a small video still
 * gets a ladder of one.
 */
export function planRenditions(display: { width: number; height: number }, renditions: readonly Rendition[]): PlannedRendition[] {
  const sorted = [...renditions].sort((a, b) => b.height - a.height);
  let kept = sorted.filter((r) => r.height <= display.height);
  if (kept.length === 0) {
    const smallest = sorted[sorted.length - 1]!;
    kept = [{ height: display.height, videoKbps: smallest.videoKbps }];
  }
  return kept.map((r) => {
    const sourceSize = r.height >= display.height - 1 && display.height % 2 === 0 && display.width % 2 === 0;
    const height = sourceSize ? display.height : even(r.height);
    const width = sourceSize ? display.width : even((display.width * r.height) / display.height);
    return { ...r, height, width, name: `${height}p`, sourceSize };
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
  const renditions = planRenditions(display, params.renditions);
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
  const plan = `ladder in one process: ${renditions.map((r) => `${r.name} ${r.videoKbps}k${r.sourceSize ? ' (source size, no scaling)' : ''}`).join(', ')}${a ? '; audio encoded once, shared' : '; no audio'}`;
  const skipped = params.renditions.filter((r) => r.height > display.height).map((r) => `${r.height}p`);
  return { command: { args, plan: skipped.length ? `${plan}; skipped above the source's ${display.height} lines: ${skipped.join(', ')}` : plan, durationSec: probe.durationSec }, renditions };
}
