import type { FileHandle } from 'node:fs/promises';
import type { ProbeResult, ProbeStream } from '../../../shared/dto/probe';

/**
 * Reads the stream facts of an ISO-BMFF file (MP4, M4V, MOV, M4A) from its `moov` box in-process, the way
 * ffmpeg's mov demuxer reports them, without starting ffprobe (whose start-up, ~60 ms of library loading for
 * Debian's build, dominates a library import). It answers only when it is sure: any layout or codec it does not
 * know in full (fragmented files, QuickTime v1/v2 sound entries, HE-AAC, cover art, unknown sample entries,
 * H.264 high profiles without chroma info…) returns null and the caller asks ffprobe instead. Broken files
 * also return null, so ffprobe's diagnosis (and its clear reason) still comes from one place.
 */

const CONTAINER = 'mov,mp4,m4a,3gp,3g2,mj2';
/** The largest moov read in memory; bigger ones (hours of tiny samples) go to ffprobe. */
const MAX_MOOV = 32 * 1024 * 1024;

class Unsure extends Error {}

interface Box {
  type: string;
  /** Payload bounds in the buffer. */
  start: number;
  end: number;
}

function* children(buf: Buffer, start: number, end: number): Generator<Box> {
  let p = start;
  while (p + 8 <= end) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > end) throw new Unsure('box header cut');
      size = Number(buf.readBigUInt64BE(p + 8));
      header = 16;
    } else if (size === 0) size = end - p;
    if (size < header || p + size > end) throw new Unsure('box overruns its parent');
    yield { type, start: p + header, end: p + size };
    p += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of children(buf, parent.start, parent.end)) if (b.type === type) return b;
  return undefined;
}

function need(box: Box | undefined, what: string): Box {
  if (!box) throw new Unsure(`no ${what}`);
  return box;
}

/** Real files nest moov/udta/meta/ilst/covr or moov/trak/udta/meta/ilst: anything far deeper is crafted. */
const MAX_SEARCH_DEPTH = 12;

class TooDeep extends Unsure {}

function hasBox(buf: Buffer, parent: Box, type: string, depth = 0): boolean {
  // Without a bound, a chain of nested boxes (8 bytes each) would recurse until the stack overflows.
  if (depth > MAX_SEARCH_DEPTH) throw new TooDeep('boxes nested too deep');
  for (const b of children(buf, parent.start, parent.end)) {
    if (b.type === type) return true;
    if (['udta', 'meta', 'ilst', 'trak', 'mdia', 'minf'].includes(b.type)) {
      // meta is a full box: its children start after version/flags (ISO) — QuickTime's does not; try both.
      const inner = b.type === 'meta' && b.end - b.start >= 4 && buf.readUInt32BE(b.start) === 0 ? { ...b, start: b.start + 4 } : b;
      try {
        if (hasBox(buf, inner, type, depth + 1)) return true;
      } catch (e) {
        if (e instanceof TooDeep) throw e; // not sure whether the box is in there: let ffprobe look
        // otherwise an opaque or vendor layout: not what we look for
      }
    }
  }
  return false;
}

const LANG_UND = 'und';

function mdhdFacts(buf: Buffer, b: Box): { timescale: number; duration: number; language: string | null } {
  const v = buf[b.start];
  const timescale = v === 1 ? buf.readUInt32BE(b.start + 20) : buf.readUInt32BE(b.start + 12);
  const duration = v === 1 ? Number(buf.readBigUInt64BE(b.start + 24)) : buf.readUInt32BE(b.start + 16);
  const packed = buf.readUInt16BE(b.start + (v === 1 ? 32 : 20));
  let language: string | null = null;
  if (packed !== 0 && packed !== 0x7fff) {
    const code = String.fromCharCode(((packed >> 10) & 31) + 0x60, ((packed >> 5) & 31) + 0x60, (packed & 31) + 0x60);
    language = /^[a-z]{3}$/.test(code) && code !== LANG_UND ? code : null;
  }
  return { timescale, duration, language };
}

/** Clockwise display rotation from the tkhd matrix, as ffmpeg's display matrix reports it (negated). */
function tkhdRotation(buf: Buffer, b: Box): number {
  const m = b.start + (buf[b.start] === 1 ? 52 : 40);
  const a = buf.readInt32BE(m) / 65536;
  const bb = buf.readInt32BE(m + 4) / 65536;
  const deg = (Math.atan2(bb, a) * 180) / Math.PI;
  const rounded = Math.round(deg / 90) * 90;
  if (Math.abs(deg - rounded) > 1) throw new Unsure('non-right-angle rotation');
  return ((rounded % 360) + 360) % 360;
}

function sampleTotals(buf: Buffer, stbl: Box): { samples: number; ticks: number; bytes: number } {
  const stts = need(child(buf, stbl, 'stts'), 'stts');
  const n = buf.readUInt32BE(stts.start + 4);
  if (stts.start + 8 + n * 8 > stts.end) throw new Unsure('stts cut');
  let samples = 0;
  let ticks = 0;
  for (let i = 0; i < n; i++) {
    const count = buf.readUInt32BE(stts.start + 8 + i * 8);
    samples += count;
    ticks += count * buf.readUInt32BE(stts.start + 12 + i * 8);
  }
  let bytes = 0;
  const stsz = child(buf, stbl, 'stsz');
  if (stsz) {
    const fixed = buf.readUInt32BE(stsz.start + 4);
    const count = buf.readUInt32BE(stsz.start + 8);
    if (fixed) bytes = fixed * count;
    else {
      if (stsz.start + 12 + count * 4 > stsz.end) throw new Unsure('stsz cut');
      for (let i = 0; i < count; i++) bytes += buf.readUInt32BE(stsz.start + 12 + i * 4);
    }
  } else if (child(buf, stbl, 'stz2')) throw new Unsure('stz2');
  return { samples, ticks, bytes };
}

const H264_PROFILES: Record<number, string> = { 66: 'Baseline', 77: 'Main', 88: 'Extended', 100: 'High', 110: 'High 10', 122: 'High 4:2:2', 244: 'High 4:4:4 Predictive' };
const HEVC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'Main 10', 3: 'Main Still Picture', 4: 'Rext' };
const CHROMA = ['gray', 'yuv420p', 'yuv422p', 'yuv444p'];

function pixFmt(chroma: number, depth: number): string {
  const base = CHROMA[chroma];
  if (!base) throw new Unsure('chroma');
  if (depth === 8) return base;
  return base === 'gray' ? `gray${depth}le` : `${base}${depth}le`;
}

interface VideoCodecFacts {
  codec: string;
  profile: string | null;
  pixFmt: string;
  bitDepth: number;
}

function fullRange(buf: Buffer, entry: Box): boolean {
  const colr = child(buf, entry, 'colr');
  if (!colr || buf.toString('latin1', colr.start, colr.start + 4) !== 'nclx' || colr.end - colr.start < 11) return false;
  return (buf[colr.start + 10]! & 0x80) !== 0;
}

function avcFacts(buf: Buffer, entry: Box): VideoCodecFacts {
  const c = need(child(buf, entry, 'avcC'), 'avcC');
  const profileIdc = buf[c.start + 1]!;
  const compat = buf[c.start + 2]!;
  let profile = H264_PROFILES[profileIdc];
  if (!profile) throw new Unsure('h264 profile');
  if (profileIdc === 66 && compat & 0x40) profile = 'Constrained Baseline';
  if ((profileIdc === 110 || profileIdc === 122 || profileIdc === 244) && compat & 0x10) profile += ' Intra';
  let chroma = 1;
  let depth = 8;
  if (profileIdc >= 100) {
    // After the SPS and PPS arrays, high profiles carry chroma_format and bit depths.
    // Each length is checked against the avcC's own end, so a crafted length never walks into other boxes.
    const skipSets = (at: number, count: number): number => {
      let q = at;
      for (let i = 0; i < count; i++) {
        if (q + 2 > c.end) throw new Unsure('avcC parameter set cut');
        q += 2 + buf.readUInt16BE(q);
      }
      if (q >= c.end) throw new Unsure('avcC parameter set cut');
      return q;
    };
    if (c.start + 6 > c.end) throw new Unsure('avcC cut');
    let p = skipSets(c.start + 6, buf[c.start + 5]! & 0x1f);
    const nPps = buf[p++]!;
    p = skipSets(p, nPps);
    if (p + 3 > c.end) throw new Unsure('avcC without chroma info');
    chroma = buf[p]! & 3;
    depth = (buf[p + 1]! & 7) + 8;
  }
  let fmt = pixFmt(chroma, depth);
  if (depth === 8 && chroma > 0 && fullRange(buf, entry)) fmt = fmt.replace('yuv', 'yuvj');
  return { codec: 'h264', profile, pixFmt: fmt, bitDepth: depth };
}

function hevcFacts(buf: Buffer, entry: Box): VideoCodecFacts {
  const c = need(child(buf, entry, 'hvcC'), 'hvcC');
  if (c.end - c.start < 23) throw new Unsure('hvcC');
  const profile = HEVC_PROFILES[buf[c.start + 1]! & 0x1f];
  if (!profile) throw new Unsure('hevc profile');
  const chroma = buf[c.start + 16]! & 3;
  const depth = (buf[c.start + 17]! & 7) + 8;
  return { codec: 'hevc', profile, pixFmt: pixFmt(chroma, depth), bitDepth: depth };
}

interface AudioCodecFacts {
  codec: string;
  profile: string | null;
  sampleRate: number;
  channels: number;
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const AAC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'LC', 3: 'SSR', 4: 'LTP' };

/** Reads an MPEG-4 descriptor header (tag + variable-length size) at p. */
function descriptor(buf: Buffer, p: number, end: number): { tag: number; start: number; end: number } {
  if (p >= end) throw new Unsure('descriptor');
  const tag = buf[p++]!;
  let size = 0;
  for (let i = 0; i < 4; i++) {
    const b = buf[p++]!;
    size = (size << 7) | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  if (p + size > end) throw new Unsure('descriptor cut');
  return { tag, start: p, end: p + size };
}

function mp4aFacts(buf: Buffer, entry: Box, childrenStart: number, entryChannels: number, entryRate: number): AudioCodecFacts {
  const esds = need(child(buf, { ...entry, start: childrenStart }, 'esds'), 'esds');
  const es = descriptor(buf, esds.start + 4, esds.end);
  if (es.tag !== 3) throw new Unsure('esds');
  const flags = buf[es.start + 2]!;
  let p = es.start + 3;
  if (flags & 0x80) p += 2;
  if (flags & 0x40) p += 1 + buf[p]!;
  if (flags & 0x20) p += 2;
  const dc = descriptor(buf, p, es.end);
  if (dc.tag !== 4) throw new Unsure('decoder config');
  const oti = buf[dc.start]!;
  // MP3 in MP4: the sample entry's channel count is often wrong; only the frames tell (ffprobe decodes one).
  if (oti === 0x69 || oti === 0x6b) throw new Unsure(`mp3 in mp4 (${entryChannels} ch at ${entryRate} Hz declared)`);
  if (oti !== 0x40 && oti !== 0x66 && oti !== 0x67 && oti !== 0x68) throw new Unsure('audio object type');
  const dsi = descriptor(buf, dc.start + 13, dc.end);
  if (dsi.tag !== 5 || dsi.end - dsi.start < 2) throw new Unsure('no AudioSpecificConfig');
  const bits = (buf[dsi.start]! << 8) | buf[dsi.start + 1]!;
  const aot = bits >> 11;
  const freqIndex = (bits >> 7) & 0xf;
  const channelConfig = (bits >> 3) & 0xf;
  const profile = AAC_PROFILES[aot];
  // HE-AAC (SBR/PS) decodes to another rate and layout than it declares: ffprobe knows, we would not.
  if (!profile || freqIndex > 12 || channelConfig === 0 || channelConfig > 7) throw new Unsure('aac config');
  const channels = channelConfig === 7 ? 8 : channelConfig;
  return { codec: 'aac', profile, sampleRate: AAC_RATES[freqIndex]!, channels };
}

function readTrack(buf: Buffer, trak: Box, index: number, sizeBytes: number): ProbeStream {
  const tkhd = need(child(buf, trak, 'tkhd'), 'tkhd');
  const mdia = need(child(buf, trak, 'mdia'), 'mdia');
  const mdhd = mdhdFacts(buf, need(child(buf, mdia, 'mdhd'), 'mdhd'));
  const hdlr = need(child(buf, mdia, 'hdlr'), 'hdlr');
  const handler = buf.toString('latin1', hdlr.start + 8, hdlr.start + 12);
  const minf = need(child(buf, mdia, 'minf'), 'minf');
  const stbl = need(child(buf, minf, 'stbl'), 'stbl');
  const stsd = need(child(buf, stbl, 'stsd'), 'stsd');
  if (buf.readUInt32BE(stsd.start + 4) !== 1) throw new Unsure('several sample descriptions');
  const entry = [...children(buf, stsd.start + 8, stsd.end)][0];
  if (!entry) throw new Unsure('no sample entry');
  const totals = sampleTotals(buf, stbl);
  const seconds = mdhd.timescale > 0 ? mdhd.duration / mdhd.timescale : 0;
  const bitRate = totals.bytes && totals.ticks ? Math.floor((totals.bytes * 8 * mdhd.timescale) / totals.ticks) : null;
  void sizeBytes;
  const base: ProbeStream = { index, type: 'data', codec: null, profile: null, pixFmt: null, bitDepth: null, width: null, height: null, rotation: 0, fps: null, sampleRate: null, channels: null, language: mdhd.language, attachedPic: false, bitRate };
  if (handler === 'vide') {
    const width = buf.readUInt16BE(entry.start + 24);
    const height = buf.readUInt16BE(entry.start + 26);
    const inner = { ...entry, start: entry.start + 78 };
    let facts: VideoCodecFacts;
    if (entry.type === 'avc1' || entry.type === 'avc3') facts = avcFacts(buf, inner);
    else if (entry.type === 'hvc1' || entry.type === 'hev1') facts = hevcFacts(buf, inner);
    else throw new Unsure(`video sample entry ${entry.type}`);
    const fps = totals.samples && totals.ticks && mdhd.timescale ? Math.round(((totals.samples * mdhd.timescale) / totals.ticks) * 1000) / 1000 : null;
    if (!width || !height || !seconds) throw new Unsure('video size or duration');
    return { ...base, type: 'video', ...facts, width, height, rotation: tkhdRotation(buf, tkhd), fps };
  }
  if (handler === 'soun') {
    const version = buf.readUInt16BE(entry.start + 8);
    if (version !== 0) throw new Unsure('QuickTime sound entry v1/v2');
    const channels = buf.readUInt16BE(entry.start + 16);
    const rate = buf.readUInt32BE(entry.start + 24) >>> 16;
    if (entry.type !== 'mp4a') throw new Unsure(`audio sample entry ${entry.type}`);
    const facts = mp4aFacts(buf, entry, entry.start + 28, channels, rate);
    return { ...base, type: 'audio', ...facts };
  }
  throw new Unsure(`track handler ${handler}`);
}

/** Parses a complete moov box (the payload and its header) of a file of `sizeBytes`. */
export function parseMoov(moov: Buffer, sizeBytes: number): ProbeResult | null {
  try {
    const root: Box = { type: 'moov', start: 0, end: moov.length };
    const top = [...children(moov, 0, moov.length)];
    const mvex = top.find((b) => b.type === 'mvex');
    if (mvex) return null; // fragmented: the samples are in moof boxes
    if (hasBox(moov, root, 'covr')) return null; // cover art is an extra (attached picture) stream in ffprobe
    const mvhd = need(top.find((b) => b.type === 'mvhd'), 'mvhd');
    const v = moov[mvhd.start];
    const timescale = v === 1 ? moov.readUInt32BE(mvhd.start + 20) : moov.readUInt32BE(mvhd.start + 12);
    const duration = v === 1 ? Number(moov.readBigUInt64BE(mvhd.start + 24)) : moov.readUInt32BE(mvhd.start + 16);
    if (!timescale || !duration) return null;
    const streams = top.filter((b) => b.type === 'trak').map((t, i) => readTrack(moov, t, i, sizeBytes));
    if (streams.length === 0) return null;
    const durationSec = Math.round((duration / timescale) * 1e6) / 1e6;
    const video = streams.find((s) => s.type === 'video');
    const display = video && video.width && video.height ? (video.rotation === 90 || video.rotation === 270 ? { width: video.height, height: video.width } : { width: video.width, height: video.height }) : null;
    return {
      container: CONTAINER,
      durationSec,
      bitRate: Math.floor((sizeBytes * 8) / durationSec),
      sizeBytes,
      streams,
      display,
      kind: video ? 'video' : 'audio',
    };
  } catch (e) {
    if (e instanceof Unsure || e instanceof RangeError) return null;
    throw e;
  }
}

/**
 * Finds the top-level moov box by walking box headers (a few small reads, skipping mdat) and parses it.
 * Null when the file is not a plain ISO-BMFF file this parser fully understands.
 */
export async function readMp4Header(fh: FileHandle, sizeBytes: number, head: Buffer, tail?: Buffer): Promise<ProbeResult | null> {
  if (head.length < 12 || head.toString('latin1', 4, 8) !== 'ftyp') return null;
  const hdr = Buffer.alloc(16);
  // The last bytes of the file, already read for the fingerprint: a moov at the end of a small file is in them.
  const tailStart = tail ? sizeBytes - tail.length : Infinity;
  const inMemory = (at: number, length: number): Buffer | null => {
    if (at + length <= head.length) return head.subarray(at, at + length);
    if (tail && at >= tailStart && at + length <= sizeBytes) return tail.subarray(at - tailStart, at - tailStart + length);
    return null;
  };
  let p = 0;
  for (let guard = 0; guard < 64 && p + 8 <= sizeBytes; guard++) {
    let bytes: number;
    const known = inMemory(p, Math.min(16, sizeBytes - p));
    if (known) {
      known.copy(hdr);
      bytes = known.length;
    } else {
      ({ bytesRead: bytes } = await fh.read(hdr, 0, 16, p));
    }
    if (bytes < 8) return null;
    let size = hdr.readUInt32BE(0);
    const type = hdr.toString('latin1', 4, 8);
    if (size === 1) {
      if (bytes < 16) return null;
      size = Number(hdr.readBigUInt64BE(8));
    } else if (size === 0) size = sizeBytes - p;
    if (size < 8 || p + size > sizeBytes) return null; // cut short: ffprobe explains
    if (type === 'moof') return null;
    if (type === 'moov') {
      if (size > MAX_MOOV) return null;
      const moov = Buffer.alloc(size);
      const known = inMemory(p, size);
      if (known) known.copy(moov);
      else if ((await fh.read(moov, 0, size, p)).bytesRead !== size) return null;
      const headerLen = moov.readUInt32BE(0) === 1 ? 16 : 8;
      return parseMoov(moov.subarray(headerLen), sizeBytes);
    }
    p += size;
  }
  return null;
}
