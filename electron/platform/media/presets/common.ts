import type { ProbeResult, ProbeStream } from '../../../../shared/dto/probe';
import { fitShortSide } from './sizing';

/** A request the input cannot satisfy; thrown by builders before any ffmpeg starts. */
export class PresetError extends Error {
  override readonly name = 'PresetError';
}

/** The arguments of one ffmpeg run, and what the engine should expect from it. */
export interface BuiltCommand {
  /** Arguments after the binary; the engine adds nothing but `-progress pipe:1` flags (already included). */
  args: string[];
  /** A few words for the owner: what was decided and why. */
  plan: string;
  /** Expected duration of the output in seconds (for percent/ETA); null when unknown. */
  durationSec: number | null;
}

/** Flags every job run starts with: quiet stderr except real problems, machine-readable progress on stdout. */
export const BASE_FLAGS = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'] as const;

export { even } from './sizing';

export function videoStream(p: ProbeResult): ProbeStream | null {
  return p.streams.find((s) => s.type === 'video' && !s.attachedPic) ?? null;
}

export function audioStream(p: ProbeResult): ProbeStream | null {
  return p.streams.find((s) => s.type === 'audio') ?? null;
}

/** The displayed (rotation applied) size, or a clear error for audio-only input. */
export function displaySize(p: ProbeResult, what: string): { width: number; height: number } {
  if (p.kind !== 'video' || !p.display) throw new PresetError(`${what} needs a video stream, and this file has only audio; use the audio preset`);
  return p.display;
}

/**
 * Output size: the display size with its short side scaled down to maxHeight (never up), both sides even.
 * "maxHeight" keeps its name in preset files; for a portrait source it limits the width (720 lines of a
 * 720x1280 phone clip are already there, so web-720 keeps it whole).
 */
export function targetSize(display: { width: number; height: number }, maxHeight: number | null): { width: number; height: number } {
  return fitShortSide(display, maxHeight);
}

/** H.264 encoder flags: CRF for quality with a VBV cap so peaks stay streamable. */
export function x264Args(p: { crf: number; x264Preset: string; maxrateKbps: number }, streamSpec = ''): string[] {
  return [
    `-c:v${streamSpec}`, 'libx264',
    `-preset${streamSpec}`, p.x264Preset,
    `-crf${streamSpec}`, String(p.crf),
    `-maxrate${streamSpec}`, `${p.maxrateKbps}k`,
    `-bufsize${streamSpec}`, `${p.maxrateKbps * 2}k`,
    `-pix_fmt${streamSpec}`, 'yuv420p',
  ];
}

/** AAC at the given rate; more than two channels are downmixed (browsers play stereo reliably). */
export function aacArgs(channels: number | null, kbps: number): string[] {
  const args = ['-c:a', 'aac', '-b:a', `${kbps}k`];
  if ((channels ?? 2) > 2) args.push('-ac', '2');
  return args;
}

/** Scale and pixel-format filter for the computed size; rotation is applied by ffmpeg's autorotate before it. */
export function scaleFilter(size: { width: number; height: number }): string {
  return `scale=${size.width}:${size.height}:flags=bicubic,setsar=1,format=yuv420p`;
}

/** Keyframes on segment boundaries, so HLS segments (and every ladder rendition) cut at the same times. */
export function segmentKeyframes(segmentSec: number): string {
  return `expr:gte(t,n_forced*${segmentSec})`;
}

/**
 * The HLS muxer reads -hls_segment_filename and the playlist name as patterns (%d, %v), and '%%' is not
 * unescaped consistently across them (ffmpeg then writes to a folder literally named with '%%'), so an
 * output folder with '%' is refused before any ffmpeg starts.
 */
export function refusePercentInHlsFolder(outDir: string, what: string): void {
  if (outDir.includes('%')) throw new PresetError(`${what} cannot write into ${outDir}: ffmpeg's HLS muxer reads '%' in the output path as a pattern; choose an output folder without '%'`);
}

export function fmtSec(n: number): string {
  return Number(n.toFixed(3)).toString();
}
