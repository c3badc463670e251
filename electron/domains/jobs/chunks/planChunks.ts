// The automatic rule and the chunkable kinds live in shared/ so the transcode form can say what "auto" means.
import { AUTO_CHUNK_ABOVE_SEC, AUTO_CHUNK_SEC, CHUNKABLE_KINDS } from '../../../../shared/dto/jobs';
import type { ProbeResult } from '../../../../shared/dto/probe';
import type { ResolvedPreset } from '../../../platform/media/presets';

/**
 * Chunked encodes, the pure part: which jobs are chunked, where the cuts fall (on source keyframes), and the
 * ffmpeg arguments of each chunk, of the audio pass and of the lossless join. Every function here is pure so
 * tests (and the lab, which runs chunks on other machines) call them directly.
 */


/** The video's packets as ffprobe lists them: presentation times in time-base ticks, which ones are keyframes. */
export interface FrameTimeline {
  /** Seconds per tick, as the fraction ffprobe reports (num/den). */
  timeBase: { num: number; den: number };
  /** The file's start time in microseconds (ffmpeg's -ss counts from it). */
  formatStartUs: number;
  /** Every video packet's pts, ascending. */
  pts: number[];
  /** The keyframes' pts, ascending. */
  keyPts: number[];
  /** Seconds the last frame lasts (a frame interval), for the last chunk's duration. */
  lastFrameSec: number;
}

export interface ChunkSpec {
  index: number;
  /** The -ss value: seconds after the file's start, whole microseconds at or just before the keyframe. */
  startSec: number;
  /** Exactly this many frames (-frames:v): the packets from this keyframe up to the next chunk's. */
  frames: number;
  durationSec: number;
}

/** Parses `ffprobe -show_entries packet=pts,flags:stream=time_base,avg_frame_rate:format=start_time -of json`. */
export function parseFrameTimeline(json: string): FrameTimeline {
  const raw = JSON.parse(json) as {
    packets?: { pts?: number | string; flags?: string }[];
    streams?: { time_base?: string; avg_frame_rate?: string }[];
    format?: { start_time?: string };
  };
  const [num, den] = (raw.streams?.[0]?.time_base ?? '').split('/').map(Number);
  if (!num || !den) throw new Error('ffprobe reported no time base for the video stream');
  const pts: number[] = [];
  const keyPts: number[] = [];
  for (const p of raw.packets ?? []) {
    if (p.pts === undefined || p.pts === 'N/A') continue;
    const v = Number(p.pts);
    if (!Number.isFinite(v)) continue;
    pts.push(v);
    if (p.flags?.startsWith('K')) keyPts.push(v);
  }
  pts.sort((a, b) => a - b);
  keyPts.sort((a, b) => a - b);
  const [rn, rd] = (raw.streams?.[0]?.avg_frame_rate ?? '').split('/').map(Number);
  const lastFrameSec = rn && rd ? rd / rn : pts.length > 1 ? ((pts[pts.length - 1]! - pts[pts.length - 2]!) * num) / den : 0;
  const start = Number(raw.format?.start_time ?? 0);
  return { timeBase: { num, den }, formatStartUs: Number.isFinite(start) ? Math.round(start * 1e6) : 0, pts, keyPts, lastFrameSec };
}

/**
 * The chunk length for this job, or null for a one-piece encode: chunkSeconds 0 turns chunking off, a number
 * asks for it, null (the default) chunks sources longer than AUTO_CHUNK_ABOVE_SEC. A remux is never chunked
 * (it copies, there is nothing to spread), nor are the kinds that are not one H.264 stream per source.
 */
export function chunkSecondsFor(preset: ResolvedPreset, probe: ProbeResult, remux: boolean): number | null {
  if (!CHUNKABLE_KINDS.includes(preset.kind) || !('chunkSeconds' in preset.params)) return null;
  if (remux || probe.durationSec === null) return null;
  const asked = preset.params.chunkSeconds;
  if (asked === 0) return null;
  if (asked === null) return probe.durationSec > AUTO_CHUNK_ABOVE_SEC ? AUTO_CHUNK_SEC : null;
  return probe.durationSec > asked * 1.5 ? asked : null;
}

/**
 * Cuts at the first keyframe at or after each chunkSec step; a last piece shorter than a quarter chunk joins
 * the one before. Each chunk's frames are counted from the packet list, so the join has exactly the source's.
 */
export function planChunks(tl: FrameTimeline, chunkSec: number): ChunkSpec[] {
  if (tl.pts.length === 0) return [];
  const tick = tl.timeBase.num / tl.timeBase.den;
  const first = tl.pts[0]!;
  const starts: number[] = [first];
  for (const k of tl.keyPts) {
    const last = starts[starts.length - 1]!;
    if (k > last && (k - last) * tick >= chunkSec - 1e-9) starts.push(k);
  }
  const endPts = tl.pts[tl.pts.length - 1]! + tl.lastFrameSec / tick;
  if (starts.length > 1 && (endPts - starts[starts.length - 1]!) * tick < chunkSec / 4) starts.pop();
  const chunks: ChunkSpec[] = [];
  let i = 0;
  for (let c = 0; c < starts.length; c++) {
    const from = starts[c]!;
    const to = starts[c + 1] ?? Number.POSITIVE_INFINITY;
    let frames = 0;
    while (i < tl.pts.length && tl.pts[i]! < to) {
      if (tl.pts[i]! >= from) frames++;
      i++;
    }
    // Whole microseconds at or below the keyframe: ffmpeg's accurate seek keeps every frame at or after -ss.
    const startUs = Math.floor((from * tl.timeBase.num * 1e6) / tl.timeBase.den) - tl.formatStartUs;
    chunks.push({ index: c, startSec: Math.max(0, startUs) / 1e6, frames, durationSec: (Math.min(to, endPts) - from) * tick });
  }
  return chunks;
}

/** What a chunk's arguments need to know about the one-piece command besides the chunk itself. */
export interface ChunkArgsOptions {
  /** The looped overlay video's length: its timeline repeats with this period (null: no looped overlay). */
  overlayPeriodSec: number | null;
  /** HLS segment length, so forced keyframes stay on the whole video's segment grid. */
  segmentSec: number | null;
  output: string;
}

function secs(n: number): string {
  return n.toFixed(6);
}

/** Index of the muxer's '-f' (the last one): everything from it on is the output section. */
function outputSection(args: readonly string[]): number {
  const i = args.lastIndexOf('-f');
  if (i < 0) throw new Error('the one-piece command has no output format');
  return i;
}

/** Index of the n-th '-i' (0-based) or -1. */
function nthInput(args: readonly string[], n: number): number {
  let seen = -1;
  for (let i = 0; i < args.length; i++) if (args[i] === '-i' && ++seen === n) return i;
  return -1;
}

/** Removes an option and its value wherever it appears (e.g. '-map 0:a:0'). */
function dropPair(args: string[], flag: string, value?: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag && (value === undefined || args[i + 1] === value)) {
      i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

/** The audio encoder flags of the one-piece command (-c:a … -b:a … and an optional -ac). */
export function audioEncoderArgs(oneArgs: readonly string[]): string[] {
  const out: string[] = [];
  for (const flag of ['-c:a', '-b:a', '-ac']) {
    const i = oneArgs.indexOf(flag);
    if (i >= 0) out.push(flag, oneArgs[i + 1]!);
  }
  return out;
}

/**
 * A chunk's ffmpeg run, derived from the one-piece command so every preset decision (size, CRF, overlay
 * position) is the same: the source is read from the chunk's keyframe (-ss before -i), exactly `frames` frames
 * are encoded, video only (the audio is encoded once for the whole file), into an MP4 the join copies.
 */
export function buildChunkArgs(oneArgs: readonly string[], chunk: ChunkSpec, o: ChunkArgsOptions): string[] {
  const main = nthInput(oneArgs, 0);
  if (main < 0) throw new Error('the one-piece command has no input');
  let args = [...oneArgs.slice(0, main), '-ss', secs(chunk.startSec), ...oneArgs.slice(main, outputSection(oneArgs))];
  args = dropPair(args, '-map', '0:a:0');
  for (const flag of ['-c:a', '-b:a', '-ac', '-t', '-movflags']) args = dropPair(args, flag);
  // The overlay's timeline starts with the video's: shift it back by the chunk's start so frame n of the chunk
  // meets the overlay frame it meets in a one-piece encode. A looped video repeats, so only the remainder counts.
  const fc = args.indexOf('-filter_complex');
  if (fc >= 0 && nthInput(args, 1) >= 0) {
    const looped = args.includes('-stream_loop');
    const isImage = !looped && !args.includes('concat');
    const shift = looped && o.overlayPeriodSec ? chunk.startSec % o.overlayPeriodSec : chunk.startSec;
    if (!isImage && shift > 0) args[fc + 1] = args[fc + 1]!.replace('[1:v:0]', `[1:v:0]setpts=PTS-${secs(shift)}/TB,`);
  }
  const fk = args.indexOf('-force_key_frames');
  if (fk >= 0 && o.segmentSec) {
    // Keyframes on the whole video's segment grid: the first forced one is this chunk's first frame.
    const k = Math.floor(chunk.startSec / o.segmentSec + 1e-9);
    args[fk + 1] = `expr:gte(t+${secs(chunk.startSec)},(n_forced+${k})*${o.segmentSec})`;
  }
  // Every chunk must open with a keyframe, so cutting adds one per chunk; x264's default GOP (250 frames) would
  // then add a further one in most chunks (a 300-frame chunk gets two where a one-piece encode averages 1.2).
  // Spreading as many keyframes as a one-piece encode puts in that span evenly over the chunk keeps the
  // keyframe count, and so the size, of the one-piece encode. Forced keyframes (HLS) and an explicit GOP stay.
  const gop = fk >= 0 || args.includes('-g') ? [] : ['-g', String(chunkGop(chunk.frames))];
  return [...args, ...gop, ...runningVbvArgs(args, chunk), '-an', '-frames:v', String(chunk.frames), '-f', 'mp4', o.output];
}

/**
 * How full a capped encode's VBV buffer is taken to be where a chunk after the first picks up. x264 starts every
 * encode with the buffer 90 % full, a burst of credit it spends on the first frames: a one-piece encode gets it
 * once, a chunked one once per chunk (12 chunks of a 2-minute 1080p clip: +14 % size). Mid-stream, an encode
 * that leans on its cap runs the buffer near its floor (about 10 % at the end of each chunk, measured); 20 %
 * gives each chunk's opening keyframe a little room. On a 30 s 1080p cap-bound clip in 3 chunks: 90 % +9.9 %
 * size, 50 % +4.9 %, 20 % +1.0 % with no frame of the first 60 after a seam below the one-piece SSIM, 10 %
 * −0.3 % but a dip (−0.003) on a seam's first frames. An encode under its cap barely touches the buffer, so the
 * start level matters little there (docs/jobs.md).
 */
export const RUNNING_VBV_FILL = 0.2;

/** -rc_init_occupancy for a chunk after the first of a VBV-capped encode, per -bufsize the command carries. */
function runningVbvArgs(args: readonly string[], chunk: ChunkSpec): string[] {
  if (chunk.index === 0 || args.some((a) => a.startsWith('-rc_init_occupancy'))) return [];
  const out: string[] = [];
  args.forEach((a, i) => {
    const spec = /^-bufsize(:\S+)?$/.exec(a);
    const bits = spec ? bitsOf(args[i + 1] ?? '') : null;
    if (bits) out.push(`-rc_init_occupancy${spec![1] ?? ''}`, String(Math.round(bits * RUNNING_VBV_FILL)));
  });
  return out;
}

/** An ffmpeg bit count ("12000k", "12M", "12000000"), or null when it is not one. */
function bitsOf(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([kKM]?)$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * (m[2] === 'M' ? 1e6 : m[2] ? 1e3 : 1);
}

/** x264's default GOP, the one-piece encode's keyframe spacing when the preset does not set one. */
const DEFAULT_GOP = 250;

/** The GOP that gives a chunk of this many frames the keyframe count a one-piece encode has over that span. */
export function chunkGop(frames: number): number {
  const keyframes = Math.max(1, Math.round(frames / DEFAULT_GOP));
  return Math.ceil(frames / keyframes);
}

/** The audio pass: the source's audio encoded once, whole, with the one-piece command's encoder settings. */
export function buildAudioPassArgs(oneArgs: readonly string[], output: string): string[] {
  const main = nthInput(oneArgs, 0);
  const head = oneArgs.slice(0, main);
  const t = oneArgs.indexOf('-t');
  return [...head, '-i', oneArgs[main + 1]!, '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1', ...audioEncoderArgs(oneArgs), ...(t >= 0 ? ['-t', oneArgs[t + 1]!] : []), '-f', 'mp4', output];
}

/** The ffconcat list of the finished chunks (names relative to the list, which sits beside them). */
export function chunkConcatList(names: readonly string[]): string {
  return ['ffconcat version 1.0', ...names.map((n) => `file '${n.replace(/'/g, "'\\''")}'`), ''].join('\n');
}

/**
 * The join: the chunks concatenated and the audio added, all copied (no re-encode), into the one-piece
 * command's own output section (an MP4, or the HLS playlist and segments).
 */
export function buildJoinArgs(oneArgs: readonly string[], listPath: string, audioPath: string | null): string[] {
  const main = nthInput(oneArgs, 0);
  const head = oneArgs.slice(0, main);
  const tail = oneArgs.slice(outputSection(oneArgs));
  const mp4 = tail[1] === 'mp4';
  return [
    ...head,
    '-f', 'concat', '-safe', '0', '-i', `file:${listPath}`,
    ...(audioPath ? ['-i', `file:${audioPath}`] : []),
    '-map', '0:v:0',
    ...(audioPath ? ['-map', '1:a:0'] : []),
    '-map_metadata', '-1', '-c', 'copy',
    ...(mp4 ? ['-movflags', '+faststart'] : []),
    ...tail,
  ];
}
