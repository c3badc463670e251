import { describe, expect, it } from 'vitest';
import type { ProbeStream } from '../../shared/dto/probe';
import { codecName, containerName, hdrName, streamWords, videoCodecWords } from '../../shared/format/mediaFacts';

const video = (s: Partial<ProbeStream>): ProbeStream => ({ index: 0, type: 'video', codec: 'h264', profile: 'High', pixFmt: 'yuv420p', bitDepth: 8, width: 1920, height: 1080, rotation: 0, fps: 29.97, sampleRate: null, channels: null, language: null, attachedPic: false, bitRate: null, ...s });

describe('facts in human words', () => {
  it('names containers as people do, the extension picking the member of ffprobe’s family', () => {
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', 'clip.mp4')).toBe('MP4');
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', 'Clip.MOV')).toBe('QuickTime (MOV)');
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', 'song.m4a')).toBe('M4A (MP4 audio)');
    expect(containerName('matroska,webm', 'a.webm')).toBe('WebM');
    expect(containerName('matroska,webm', 'a.mkv')).toBe('Matroska (MKV)');
    expect(containerName('mpegts', 'a.ts')).toBe('MPEG transport stream (TS)');
    expect(containerName('avi', 'a.avi')).toBe('AVI');
    expect(containerName('weirdfmt', 'a.x')).toBe('WEIRDFMT');
    expect(containerName(null)).toBe('—');
  });

  it('codec, profile and bit depth ("H.264 High, 8-bit"); HDR and rotation when present', () => {
    expect(videoCodecWords(video({}))).toBe('H.264 High, 8-bit');
    expect(videoCodecWords(video({ codec: 'hevc', profile: 'Main 10', bitDepth: 10 }))).toBe('H.265 (HEVC) Main 10, 10-bit');
    expect(hdrName('smpte2084')).toBe('HDR10 (PQ)');
    expect(hdrName('arib-std-b67')).toBe('HLG');
    expect(hdrName('bt709')).toBeNull();
    expect(streamWords(video({ codec: 'hevc', profile: 'Main 10', bitDepth: 10, colorTransfer: 'smpte2084', rotation: 90, width: 3840, height: 2160, fps: 60 }))).toBe('H.265 (HEVC) Main 10, 10-bit, 3840×2160, 60 fps, HDR10 (PQ), rotated 90°');
    expect(streamWords(video({ width: 720, height: 576, sar: 1.4222, fps: 25 }))).toBe('H.264 High, 8-bit, 720×576 stored, non-square pixels (1.42:1), 25 fps');
  });

  it('audio and other streams', () => {
    expect(streamWords({ ...video({}), type: 'audio', codec: 'aac', profile: 'LC', channels: 2, sampleRate: 48000, language: 'eng' })).toBe('AAC, stereo, 48 kHz, eng');
    expect(streamWords({ ...video({}), type: 'audio', codec: 'eac3', profile: null, channels: 6, sampleRate: 44100 })).toBe('Dolby Digital Plus, 5.1, 44.1 kHz');
    expect(codecName('pcm_s24le')).toBe('PCM 24-bit');
    expect(codecName(null)).toBe('unknown codec');
    expect(streamWords({ ...video({}), type: 'subtitle', codec: 'subrip', language: 'fra' })).toBe('SubRip (SRT), fra');
  });
});

describe('ladder renditions named by what they are', () => {
  it('reads RESOLUTION= from a master playlist, largest first, with the short side and the shape', async () => {
    const { parseMasterRenditions } = await import('../../renderer/src/features/preview/hlsMaster');
    const master = [
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_aud",NAME="audio",DEFAULT=YES,URI="audio/index.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=1540000,RESOLUTION=480x852,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_aud"',
      '480p/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=3080000,RESOLUTION=720x1280,CODECS="avc1.64001f,mp4a.40.2",AUDIO="group_aud"',
      '720p/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=1080x1080',
      '1080p/index.m3u8',
    ].join('\r\n');
    expect(parseMasterRenditions(master).map((r) => r.label)).toEqual(['1080p square (1080×1080)', '720p portrait (720×1280)', '480p portrait (480×852)']);
    expect(parseMasterRenditions('#EXTM3U\n#EXTINF:4,\nseg_00000.ts\n')).toEqual([]);
  });
});
