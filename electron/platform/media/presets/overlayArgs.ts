import type { ProbeResult } from '../../../../shared/dto/probe';
import { ffmpegInput } from '../thumbnailArgs';
import { aacArgs, audioStream, BASE_FLAGS, displaySize, even, targetSize, x264Args, type BuiltCommand } from './common';
import type { AvatarParams, WatermarkParams } from './schema';

type Position = WatermarkParams['position'];

/** overlay= x/y expressions for a position with a margin (W/H: the video, w/h: the overlay). */
export function overlayPosition(position: Position, margin: number): { x: string; y: string } {
  const m = String(margin);
  switch (position) {
    case 'top-left':
      return { x: m, y: m };
    case 'top-right':
      return { x: `W-w-${m}`, y: m };
    case 'bottom-left':
      return { x: m, y: `H-h-${m}` };
    case 'bottom-right':
      return { x: `W-w-${m}`, y: `H-h-${m}` };
    case 'center':
      return { x: '(W-w)/2', y: '(H-h)/2' };
  }
}

/** What is laid over the video: a still image, a (looped) video, or the cue track's ffconcat list of PNGs. */
export type OverlaySource = { kind: 'image'; path: string } | { kind: 'video'; path: string } | { kind: 'concat'; path: string };

function overlayInputArgs(src: OverlaySource): string[] {
  if (src.kind === 'video') return ['-stream_loop', '-1', '-i', ffmpegInput(src.path)];
  if (src.kind === 'concat') return ['-f', 'concat', '-safe', '0', '-i', ffmpegInput(src.path)];
  return ['-i', ffmpegInput(src.path)];
}

interface OverlayLayout {
  /** Overlay width in pixels (even); null keeps the overlay's own size (cue track frames are pre-sized). */
  width: number | null;
  opacity: number;
  x: string;
  y: string;
}

function buildOverlay(input: string, probe: ProbeResult, params: WatermarkParams | AvatarParams, overlay: OverlaySource, layout: OverlayLayout, output: string, what: string): BuiltCommand & { size: { width: number; height: number } } {
  const size = targetSize(displaySize(probe, what), params.maxHeight);
  const a = audioStream(probe);
  const ov = [layout.width !== null ? `scale=${layout.width}:-2` : null, 'format=rgba', layout.opacity < 1 ? `colorchannelmixer=aa=${layout.opacity}` : null].filter(Boolean).join(',');
  // eof_action=repeat holds a still image for the whole video; the main input's end ends the output.
  const graph = `[0:v:0]scale=${size.width}:${size.height}:flags=bicubic,setsar=1[base];[1:v:0]${ov}[ov];[base][ov]overlay=x=${layout.x}:y=${layout.y}:eof_action=repeat:shortest=0,format=yuv420p[vout]`;
  const args = [...BASE_FLAGS, '-i', ffmpegInput(input), ...overlayInputArgs(overlay), '-filter_complex', graph, '-map', '[vout]'];
  if (a) args.push('-map', '0:a:0');
  args.push('-map_metadata', '-1', '-sn', '-dn', ...x264Args(params), '-t', String(probe.durationSec ?? 86400));
  if (a) args.push(...aacArgs(a.channels, params.audioKbps));
  args.push('-movflags', '+faststart', '-f', 'mp4', output);
  return { args, plan: '', durationSec: probe.durationSec, size };
}

export function buildWatermarkArgs(input: string, probe: ProbeResult, params: WatermarkParams, image: OverlaySource, output: string): BuiltCommand {
  const size = targetSize(displaySize(probe, 'the watermark preset'), params.maxHeight);
  const width = even((size.width * params.widthPercent) / 100);
  const built = buildOverlay(input, probe, params, image, { width, opacity: params.opacity, ...overlayPosition(params.position, params.marginPx) }, output, 'the watermark preset');
  return { args: built.args, durationSec: built.durationSec, plan: `watermark ${width} px wide at ${params.position}, opacity ${params.opacity}, on ${size.width}x${size.height}` };
}

/** Picture-in-picture of an avatar image/video in a corner, or the cue track's full-frame overlay at 0:0. */
export function buildAvatarArgs(input: string, probe: ProbeResult, params: AvatarParams, overlay: OverlaySource, output: string): BuiltCommand {
  const size = targetSize(displaySize(probe, 'the avatar overlay preset'), params.maxHeight);
  if (overlay.kind === 'concat') {
    const built = buildOverlay(input, probe, params, overlay, { width: null, opacity: 1, x: '0', y: '0' }, output, 'the avatar overlay preset');
    return { args: built.args, durationSec: built.durationSec, plan: `avatar cue track baked into ${size.width}x${size.height}` };
  }
  const width = even((size.width * params.sizePercent) / 100);
  const built = buildOverlay(input, probe, params, overlay, { width, opacity: 1, ...overlayPosition(params.corner, params.marginPx) }, output, 'the avatar overlay preset');
  return { args: built.args, durationSec: built.durationSec, plan: `avatar ${overlay.kind} ${width} px wide at ${params.corner} (margin ${params.marginPx} px) on ${size.width}x${size.height}` };
}
