import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ProbeResult, ProbeStream } from '../../../shared/dto/probe';
import { ChurchError } from '../../../shared/errors';
import { runProcess } from '../process';
import { resolveBinary } from './resolveBinaries';

/** Why a file is not playable media; the library stores it per file and the import summary lists it. */
export type ProbeFailureReason = 'empty' | 'truncated' | 'image' | 'not-media' | 'unreadable' | 'timeout' | 'no-streams' | 'cancelled';

/** A file ffprobe could not turn into a playable item. `message` is written for the owner. */
export class ProbeError extends ChurchError {
  readonly reason: ProbeFailureReason;
  constructor(reason: ProbeFailureReason, message: string) {
    super(reason === 'timeout' ? 'TIMEOUT' : reason === 'cancelled' ? 'CANCELLED' : 'INVALID_INPUT', message);
    this.name = 'ProbeError';
    this.reason = reason;
  }
}

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

// The shapes of ffprobe's JSON we read; everything is optional because ffprobe omits what it does not know.
interface RawSideData {
  side_data_type?: string;
  rotation?: number;
}
interface RawStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  color_transfer?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: RawSideData[];
}
interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; size?: string };
}

/** Formats ffmpeg uses for single still images; a ".mp4" that is really a PNG lands here. */
const IMAGE_FORMATS = /(^|,)(image2|[a-z0-9]+_pipe|gif|webp|apng|bmp|tiff?)(,|$)/;
const IMAGE_CODECS = new Set(['png', 'mjpeg', 'jpegls', 'gif', 'bmp', 'tiff', 'webp', 'jpeg2000', 'apng', 'pam', 'ppm', 'pgm', 'qoi']);

function num(v: string | number | undefined): number | null {
  if (v === undefined || v === '' || v === 'N/A') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** "30000/1001" → 29.97; "0/0" → null. */
export function parseRate(v: string | undefined): number | null {
  if (!v) return null;
  const [a, b] = v.split('/').map(Number);
  if (a === undefined || !Number.isFinite(a)) return null;
  if (b === undefined) return a > 0 ? a : null;
  if (!b || !Number.isFinite(b) || a <= 0) return null;
  return Math.round((a / b) * 1000) / 1000;
}

function normaliseDegrees(d: number): number {
  const r = ((Math.round(d / 90) * 90) % 360 + 360) % 360;
  return r;
}

/**
 * Clockwise display rotation. The display matrix's "rotation" is counter-clockwise (ffmpeg negates it for
 * autorotate); the legacy "rotate" tag is already clockwise.
 */
export function streamRotation(s: RawStream): number {
  const matrix = s.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
  if (matrix?.rotation !== undefined) return normaliseDegrees(-matrix.rotation);
  const tag = num(s.tags?.rotate);
  return tag === null ? 0 : normaliseDegrees(tag);
}

/** "64:45" → {sar: 1.4222}; square ("1:1"), unknown ("0:1") or malformed → nothing. */
function sarOf(s: RawStream): { sar?: number } {
  if (s.codec_type !== 'video' || !s.sample_aspect_ratio) return {};
  const [a, b] = s.sample_aspect_ratio.split(':').map(Number);
  if (!a || !b || !Number.isFinite(a) || !Number.isFinite(b) || a <= 0 || b <= 0 || a === b) return {};
  return { sar: Math.round((a / b) * 10_000) / 10_000 };
}

/** The shown size of a video stream: non-square pixels widen (or narrow) it, then 90/270° rotation swaps it. */
export function displayOf(v: Pick<ProbeStream, 'width' | 'height' | 'rotation' | 'sar'>): { width: number; height: number } | null {
  if (!v.width || !v.height) return null;
  const w = v.sar ? Math.max(1, Math.round(v.width * v.sar)) : v.width;
  return v.rotation === 90 || v.rotation === 270 ? { width: v.height, height: w } : { width: w, height: v.height };
}

const STREAM_TYPES = new Set<ProbeStream['type']>(['video', 'audio', 'subtitle', 'data', 'attachment']);

function bitDepthOf(s: RawStream): number | null {
  const raw = num(s.bits_per_raw_sample);
  if (raw) return raw;
  if (!s.pix_fmt) return null;
  const m = /p(9|10|12|14|16)(le|be)?$/.exec(s.pix_fmt);
  if (m?.[1]) return Number(m[1]);
  return s.codec_type === 'video' ? 8 : null;
}

function toStream(s: RawStream, i: number): ProbeStream {
  const type = STREAM_TYPES.has(s.codec_type as ProbeStream['type']) ? (s.codec_type as ProbeStream['type']) : 'data';
  const video = type === 'video';
  const lang = s.tags?.language;
  return {
    index: s.index ?? i,
    type,
    codec: s.codec_name ?? null,
    profile: s.profile && s.profile !== 'unknown' ? s.profile : null,
    pixFmt: video ? (s.pix_fmt ?? null) : null,
    bitDepth: video ? bitDepthOf(s) : null,
    width: video ? (s.width ?? null) : null,
    height: video ? (s.height ?? null) : null,
    rotation: video ? streamRotation(s) : 0,
    ...sarOf(s),
    ...(video && s.color_transfer && s.color_transfer !== 'unknown' ? { colorTransfer: s.color_transfer } : {}),
    fps: video ? (parseRate(s.avg_frame_rate) ?? parseRate(s.r_frame_rate)) : null,
    sampleRate: type === 'audio' ? num(s.sample_rate) : null,
    channels: type === 'audio' ? (s.channels ?? null) : null,
    language: lang && lang !== 'und' ? lang : null,
    attachedPic: s.disposition?.attached_pic === 1,
    bitRate: num(s.bit_rate),
  };
}

/**
 * Turns ffprobe's JSON into a ProbeResult, or throws a ProbeError saying why the file is not playable.
 * Pure: tests feed it recorded JSON.
 */
export function parseProbeJson(json: string, sizeBytes: number, name: string): ProbeResult {
  let raw: RawProbe;
  try {
    raw = JSON.parse(json) as RawProbe;
  } catch {
    throw new ProbeError('unreadable', `ffprobe gave no readable answer for ${name}; check that the file is a video`);
  }
  const streams = (raw.streams ?? []).map(toStream);
  const container = raw.format?.format_name ?? 'unknown';
  const realVideo = streams.find((s) => s.type === 'video' && !s.attachedPic && !(s.codec !== null && IMAGE_CODECS.has(s.codec) && IMAGE_FORMATS.test(container)));
  const audio = streams.find((s) => s.type === 'audio');
  if (!realVideo && !audio) {
    if (IMAGE_FORMATS.test(container) || streams.some((s) => s.type === 'video')) {
      throw new ProbeError('image', `${name} is a still image (${container.replace(/_pipe$/, '')}), not a video; rename it or import it elsewhere`);
    }
    throw new ProbeError('no-streams', `${name} holds no video or audio stream; it is not playable media`);
  }
  const display: ProbeResult['display'] = realVideo ? displayOf(realVideo) : null;
  return {
    container,
    durationSec: num(raw.format?.duration),
    bitRate: num(raw.format?.bit_rate),
    sizeBytes: num(raw.format?.size) ?? sizeBytes,
    streams,
    display,
    kind: realVideo ? 'video' : 'audio',
  };
}

/** Looks at the first bytes to tell a truncated media file from something that never was one. */
function looksLikeMedia(head: Buffer): boolean {
  if (head.length >= 8 && /^(ftyp|moov|mdat|free|wide|skip|pnot)$/.test(head.subarray(4, 8).toString('latin1'))) return true;
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return true; // Matroska / WebM (EBML)
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'RIFF') return true; // AVI
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'FLV') return true;
  if (head.length >= 1 && head[0] === 0x47) return true; // MPEG-TS sync byte
  if (head.length >= 4 && head.readUInt32BE(0) === 0x000001ba) return true; // MPEG-PS
  return false;
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let printable = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2) printable++;
  return printable / head.length > 0.95;
}

/** Explains an ffprobe failure from its stderr and the file's first bytes. */
export function explainProbeFailure(name: string, stderr: string, head: Buffer): ProbeError {
  const detail = stderr.trim().split('\n').pop()?.replace(/^.*?: /, '') ?? '';
  if (/Permission denied/i.test(stderr)) return new ProbeError('unreadable', `ffprobe could not read ${name}: permission denied; give the studio read access to it`);
  if (/No such file/i.test(stderr)) return new ProbeError('unreadable', `ffprobe could not read ${name}: the file is gone; rescan the folder`);
  if (looksLikeMedia(head)) {
    if (/moov atom not found/i.test(stderr)) {
      return new ProbeError('truncated', `ffprobe could not read ${name}: the file ends before its index (moov atom); re-download or re-encode it`);
    }
    return new ProbeError('truncated', `ffprobe could not read ${name}: the file is damaged or cut short (${detail || 'invalid data'}); re-download or re-encode it`);
  }
  if (looksLikeText(head)) return new ProbeError('not-media', `${name} is a text file, not a video; remove it from the library folder or rename it`);
  return new ProbeError('not-media', `${name} is not a media file ffprobe knows (${detail || 'invalid data'}); check what it is`);
}

async function readHead(path: string, bytes: number): Promise<{ head: Buffer; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(bytes, size));
    if (buf.length > 0) await fh.read(buf, 0, buf.length, 0);
    return { head: buf, size };
  } finally {
    await fh.close();
  }
}

/**
 * Probes one file with ffprobe (argument array, bounded in time). Resolves with a ProbeResult for video and
 * audio files; throws a ProbeError with a reason and an owner-readable message for everything else.
 */
export async function probeFile(path: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const name = basename(path);
  if (opts.signal?.aborted) throw new ProbeError('cancelled', `probing ${name} was cancelled`);
  let head: Buffer;
  let size: number;
  try {
    // Only regular files: opening a FIFO or a device would block or read forever.
    if (!(await stat(path)).isFile()) throw new ProbeError('not-media', `${name} is not a regular file (a folder, pipe or device); only video files can be imported`);
    ({ head, size } = await readHead(path, 64));
  } catch (e) {
    if (e instanceof ProbeError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ProbeError('unreadable', `${name} does not exist (any more); rescan the folder`);
    if (code === 'EACCES' || code === 'EPERM') throw new ProbeError('unreadable', `${name} cannot be read: permission denied; give the studio read access to it`);
    if (code === 'EISDIR') throw new ProbeError('not-media', `${name} is a folder, not a video file`);
    throw new ProbeError('unreadable', `${name} cannot be read (${code ?? (e as Error).message}); check the disk and the file`);
  }
  if (size === 0) throw new ProbeError('empty', `${name} is empty (0 bytes); delete it or copy it again`);
  const bin = resolveBinary('ffprobe', opts.env ?? process.env);
  if (!bin.path) throw new ChurchError('UNAVAILABLE', bin.problem ?? 'ffprobe was not found');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const res = await runProcess(bin.path, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', `file:${resolve(path)}`], {
    timeoutMs,
    killGraceMs: 500,
    signal: opts.signal,
    maxOutputBytes: 4 * 1024 * 1024,
  });
  if (res.aborted) throw new ProbeError('cancelled', `probing ${name} was cancelled`);
  if (res.timedOut) throw new ProbeError('timeout', `ffprobe took longer than ${Math.round(timeoutMs / 1000)} s on ${name}; the file may be on a slow or stalled disk, try again`);
  if (res.spawnError) throw new ChurchError('UNAVAILABLE', `ffprobe at ${bin.path} could not start (${res.spawnError}); reinstall ffmpeg or set FFPROBE_PATH`);
  if (res.code !== 0) throw explainProbeFailure(name, res.stderr, head);
  return parseProbeJson(res.stdout, size, name);
}
