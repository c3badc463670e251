import type { ProbeStream } from '../dto/probe';

/**
 * ffprobe's names turned into the words a person uses: "MP4" for "mov,mp4,m4a,3gp,3g2,mj2", "H.264 High,
 * 8-bit" for h264/High/yuv420p. Shared by the video page and `church show`, so both say the same thing.
 */

const CODECS: Record<string, string> = {
  h264: 'H.264', hevc: 'H.265 (HEVC)', av1: 'AV1', vp9: 'VP9', vp8: 'VP8', mpeg4: 'MPEG-4 Part 2', mpeg2video: 'MPEG-2',
  mpeg1video: 'MPEG-1', prores: 'ProRes', dnxhd: 'DNxHD', mjpeg: 'Motion JPEG', theora: 'Theora', wmv3: 'WMV 9', vc1: 'VC-1',
  aac: 'AAC', mp3: 'MP3', opus: 'Opus', vorbis: 'Vorbis', flac: 'FLAC', ac3: 'Dolby Digital (AC-3)', eac3: 'Dolby Digital Plus',
  dts: 'DTS', truehd: 'Dolby TrueHD', alac: 'Apple Lossless', wmav2: 'WMA',
  subrip: 'SubRip (SRT)', ass: 'ASS subtitles', mov_text: 'MP4 text subtitles', webvtt: 'WebVTT', hdmv_pgs_subtitle: 'Blu-ray (PGS) subtitles', dvd_subtitle: 'DVD subtitles',
};

/** "h264" → "H.264"; PCM spelled out ("PCM 16-bit"); unknown names upper-cased as they are. */
export function codecName(codec: string | null): string {
  if (!codec) return 'unknown codec';
  const pcm = /^pcm_[su](8|16|24|32)/.exec(codec);
  if (pcm) return `PCM ${pcm[1]}-bit`;
  return CODECS[codec] ?? codec.toUpperCase();
}

/**
 * The container as people name it. ffprobe reports a demuxer family ("mov,mp4,m4a,3gp,3g2,mj2" for every
 * ISO-BMFF file, "matroska,webm" for both), so the file's extension picks the member of the family.
 */
export function containerName(formatName: string | null, fileName = ''): string {
  if (!formatName) return '—';
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const family = formatName.split(',');
  if (family.includes('mp4') || family.includes('mov')) {
    const byExt: Record<string, string> = { mp4: 'MP4', m4v: 'MP4', m4a: 'M4A (MP4 audio)', mov: 'QuickTime (MOV)', '3gp': '3GP', '3g2': '3G2', mj2: 'Motion JPEG 2000' };
    return byExt[ext] ?? 'MP4';
  }
  if (family.includes('matroska') || family.includes('webm')) return ext === 'webm' ? 'WebM' : 'Matroska (MKV)';
  const names: Record<string, string> = {
    avi: 'AVI', mpegts: 'MPEG transport stream (TS)', mpeg: 'MPEG program stream', flv: 'Flash video (FLV)', ogg: 'Ogg', asf: 'Windows Media (ASF)',
    mp3: 'MP3', wav: 'WAV', flac: 'FLAC', aac: 'AAC (ADTS)', hls: 'HLS playlist', dv: 'DV', mxf: 'MXF', nut: 'NUT', ivf: 'IVF',
  };
  for (const f of family) if (names[f]) return names[f];
  return family[0]!.toUpperCase();
}

/** "smpte2084" → "HDR10 (PQ)", "arib-std-b67" → "HLG"; SDR transfers → null. */
export function hdrName(transfer: string | undefined): string | null {
  if (transfer === 'smpte2084') return 'HDR10 (PQ)';
  if (transfer === 'arib-std-b67') return 'HLG';
  return null;
}

function channelWords(n: number | null): string | null {
  if (n === null) return null;
  return ({ 1: 'mono', 2: 'stereo', 6: '5.1', 8: '7.1' } as Record<number, string>)[n] ?? `${n} channels`;
}

/** "H.264 High, 8-bit" — codec with its profile, then the bit depth; HDR and rotation are separate facts. */
export function videoCodecWords(s: Pick<ProbeStream, 'codec' | 'profile' | 'bitDepth'>): string {
  const profile = s.profile ? ` ${s.profile}` : '';
  return `${codecName(s.codec)}${profile}${s.bitDepth ? `, ${s.bitDepth}-bit` : ''}`;
}

/** One line for one stream, as the video page and `church show` print it. */
export function streamWords(s: ProbeStream): string {
  if (s.type === 'video') {
    const parts = [s.attachedPic ? `cover art (${codecName(s.codec)})` : videoCodecWords(s)];
    if (s.width && s.height) parts.push(`${s.width}×${s.height}${s.sar ? ` stored, non-square pixels (${Math.round(s.sar * 100) / 100}:1)` : ''}`);
    if (s.fps && !s.attachedPic) parts.push(`${Math.round(s.fps * 100) / 100} fps`);
    const hdr = hdrName(s.colorTransfer);
    if (hdr) parts.push(hdr);
    if (s.rotation) parts.push(`rotated ${s.rotation}°`);
    return parts.join(', ');
  }
  if (s.type === 'audio') {
    const parts = [`${codecName(s.codec)}${s.profile && s.profile !== 'LC' ? ` ${s.profile}` : ''}`];
    const ch = channelWords(s.channels);
    if (ch) parts.push(ch);
    if (s.sampleRate) parts.push(`${Math.round(s.sampleRate / 100) / 10} kHz`);
    if (s.language) parts.push(s.language);
    return parts.join(', ');
  }
  return [codecName(s.codec), s.language].filter(Boolean).join(', ');
}
