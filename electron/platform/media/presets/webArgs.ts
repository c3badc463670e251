import type { ProbeResult } from '../../../../shared/dto/probe';
import { ffmpegInput } from '../thumbnailArgs';
import { aacArgs, audioStream, BASE_FLAGS, displaySize, PresetError, refusePercentInHlsFolder, scaleFilter, segmentKeyframes, targetSize, videoStream, x264Args, fmtSec, type BuiltCommand } from './common';
import { shortSide } from './sizing';
import type { HlsParams, WebParams } from './schema';

/**
 * Why a source cannot be remuxed as-is into a web MP4 (empty when it can): the checks a browser cares about.
 * Exported so the UI and tests can show the reason.
 */
export function webComplianceProblems(p: ProbeResult, params: Pick<WebParams, 'maxHeight' | 'maxrateKbps'>): string[] {
  const problems: string[] = [];
  const v = videoStream(p);
  if (!v) return ['no video stream'];
  if (!/(^|,)(mov|mp4)(,|$)/.test(p.container)) problems.push(`container ${p.container} is not MP4`);
  if (v.codec !== 'h264') problems.push(`video codec ${v.codec ?? 'unknown'} is not H.264`);
  if (v.pixFmt !== 'yuv420p' && v.pixFmt !== 'yuvj420p') problems.push(`pixel format ${v.pixFmt ?? 'unknown'} is not yuv420p`);
  if (v.bitDepth !== null && v.bitDepth > 8) problems.push(`${v.bitDepth}-bit video`);
  if ((v.width ?? 1) % 2 !== 0 || (v.height ?? 1) % 2 !== 0) problems.push(`odd dimensions ${v.width}x${v.height}`);
  if (v.rotation !== 0) problems.push(`display rotation ${v.rotation}° is not applied`);
  if (params.maxHeight !== null && p.display && shortSide(p.display) > params.maxHeight) problems.push(`larger than ${params.maxHeight}p`);
  if (v.sar) problems.push('non-square pixels');
  const rate = v.bitRate ?? p.bitRate;
  if (rate !== null && rate > params.maxrateKbps * 1000 * 1.1) problems.push(`bitrate ${Math.round(rate / 1000)} kbit/s is above the ${params.maxrateKbps} kbit/s cap`);
  const a = audioStream(p);
  if (a && a.codec !== 'aac') problems.push(`audio codec ${a.codec ?? 'unknown'} is not AAC`);
  if (p.streams.filter((s) => s.type === 'audio').length > 1) problems.push('more than one audio track');
  return problems;
}

/** The web MP4: a remux with +faststart when the source is already compliant, else an H.264/AAC encode. */
export function buildWebArgs(input: string, probe: ProbeResult, params: WebParams, output: string): BuiltCommand {
  const display = displaySize(probe, 'the web preset');
  const a = audioStream(probe);
  const problems = webComplianceProblems(probe, params);
  const head = [...BASE_FLAGS, '-i', ffmpegInput(input), '-map', '0:v:0'];
  if (a) head.push('-map', '0:a:0');
  head.push('-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn');
  if (params.remuxWhenCompliant && problems.length === 0) {
    return {
      args: [...head, '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', output],
      plan: 'remux: the source is already web-ready H.264/AAC MP4; streams copied, index moved to the front',
      durationSec: probe.durationSec,
    };
  }
  const size = targetSize(display, params.maxHeight);
  const video = params.encoder === 'libx264'
    ? x264Args(params)
    : ['-c:v', params.encoder, '-b:v', `${Math.round(params.maxrateKbps * 0.6)}k`, '-maxrate', `${params.maxrateKbps}k`, '-bufsize', `${params.maxrateKbps * 2}k`, '-pix_fmt', 'yuv420p'];
  const args = [...head, '-vf', scaleFilter(size), ...video, '-profile:v', 'high'];
  if (a) args.push(...aacArgs(a.channels, params.audioKbps));
  args.push('-movflags', '+faststart', '-f', 'mp4', output);
  const why = params.remuxWhenCompliant ? problems.join(', ') : 'remux disabled by the preset';
  return { args, plan: `encode to H.264${params.encoder === 'libx264' ? '' : ` (${params.encoder})`} ${size.width}x${size.height}${a ? ' + AAC' : ', no audio'}: ${why}`, durationSec: probe.durationSec };
}

/** Single-rendition VOD HLS into `outDir` (index.m3u8 + seg_NNNNN.ts), keyframes on segment boundaries. */
export function buildHlsArgs(input: string, probe: ProbeResult, params: HlsParams, outDir: string): BuiltCommand {
  const display = displaySize(probe, 'the HLS preset');
  refusePercentInHlsFolder(outDir, 'the HLS preset');
  if (probe.durationSec !== null && probe.durationSec <= 0) throw new PresetError('the video has no duration; HLS needs at least one frame');
  const a = audioStream(probe);
  const size = targetSize(display, params.maxHeight);
  const args = [...BASE_FLAGS, '-i', ffmpegInput(input), '-map', '0:v:0'];
  if (a) args.push('-map', '0:a:0');
  args.push('-map_metadata', '-1', '-sn', '-dn', '-vf', scaleFilter(size), ...x264Args(params), '-force_key_frames', segmentKeyframes(params.segmentSec), '-sc_threshold', '0');
  if (a) args.push(...aacArgs(a.channels, params.audioKbps));
  args.push(
    '-f', 'hls',
    '-hls_time', fmtSec(params.segmentSec),
    '-hls_playlist_type', 'vod',
    '-hls_flags', 'independent_segments',
    '-hls_segment_filename', `${outDir}/seg_%05d.ts`,
    `${outDir}/index.m3u8`,
  );
  return { args, plan: `HLS ${size.width}x${size.height}, ${params.segmentSec} s segments${a ? '' : ', no audio'}`, durationSec: probe.durationSec };
}
