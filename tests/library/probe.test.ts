import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseProbeJson, probeFile, ProbeError } from '../../electron/platform/media';
import { oshashOf, fingerprintFile } from '../../electron/domains/library';
import { runProcess } from '../../electron/platform/process';
import { tempDir } from '../helpers/tempDir';
import { clip, makeAudio, makeImage, truncateCopy, write } from '../helpers/libraryFiles';

const dir = tempDir('church-probe-');

beforeAll(async () => {
  await clip(join(dir, 'good.mp4'), { seconds: 1 });
  await clip(join(dir, 'ten-bit.mkv'), { seconds: 1, audio: false, pixFmt: 'yuv420p10le' });
  await makeAudio(join(dir, 'song.m4a'));
  await makeImage(join(dir, 'photo.mp4'));
  truncateCopy(join(dir, 'good.mp4'), join(dir, 'cut.mp4'));
  write(join(dir, 'empty.mp4'), '');
  write(join(dir, 'text.mp4'), 'hello\n');
  write(join(dir, 'noise.mp4'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
}, 60_000);

async function reason(name: string): Promise<ProbeError> {
  try {
    await probeFile(join(dir, name), { timeoutMs: 10_000 });
  } catch (e) {
    if (e instanceof ProbeError) return e;
    throw e;
  }
  throw new Error(`${name} probed fine`);
}

describe('probeFile', () => {
  it('reads a video: container, duration, streams, display size', async () => {
    const p = await probeFile(join(dir, 'good.mp4'), { timeoutMs: 10_000 });
    expect(p).toMatchObject({ kind: 'video', display: { width: 320, height: 240 } });
    expect(p.container).toMatch(/mp4/);
    expect(p.durationSec).toBeCloseTo(1, 1);
    expect(p.streams.map((s) => s.type)).toEqual(['video', 'audio']);
    expect(p.streams[1]).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 1, pixFmt: null, width: null });
  });

  it('reports bit depth and pixel format of a 10-bit encode', async () => {
    const p = await probeFile(join(dir, 'ten-bit.mkv'), { timeoutMs: 10_000 });
    expect(p.streams[0]).toMatchObject({ pixFmt: 'yuv420p10le', bitDepth: 10, profile: 'High 10' });
  });

  it('keeps audio-only files as audio', async () => {
    expect(await probeFile(join(dir, 'song.m4a'), { timeoutMs: 10_000 })).toMatchObject({ kind: 'audio', display: null });
  });

  it('explains every kind of unplayable file', async () => {
    expect(await reason('empty.mp4')).toMatchObject({ reason: 'empty', message: 'empty.mp4 is empty (0 bytes); delete it or copy it again' });
    expect(await reason('cut.mp4')).toMatchObject({ reason: 'truncated', message: 'ffprobe could not read cut.mp4: the file ends before its index (moov atom); re-download or re-encode it' });
    expect((await reason('text.mp4')).reason).toBe('not-media');
    expect((await reason('noise.mp4')).reason).toBe('not-media');
    expect((await reason('photo.mp4')).reason).toBe('image');
    expect((await reason('nothing-here.mp4')).message).toMatch(/does not exist/);
  });

  it('honours cancellation, and refuses a pipe instead of blocking on it', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(probeFile(join(dir, 'good.mp4'), { signal: ac.signal })).rejects.toMatchObject({ reason: 'cancelled' });
    const fifo = join(dir, 'pipe.mp4');
    expect((await runProcess('mkfifo', [fifo])).code).toBe(0);
    expect(await reason('pipe.mp4')).toMatchObject({ reason: 'not-media', message: expect.stringMatching(/not a regular file/) });
  });
});

describe('parseProbeJson', () => {
  const base = { format: { format_name: 'mov,mp4', duration: '2.5', bit_rate: '1000', size: '500' } };
  it('turns display-matrix rotation into a clockwise angle and swaps the display size', () => {
    const p = parseProbeJson(JSON.stringify({ ...base, streams: [{ index: 0, codec_type: 'video', codec_name: 'hevc', width: 1920, height: 1080, avg_frame_rate: '30000/1001', side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }] }), 500, 'x.mp4');
    expect(p.streams[0]).toMatchObject({ rotation: 90, fps: 29.97 });
    expect(p.display).toEqual({ width: 1080, height: 1920 });
  });
  it('reads the legacy rotate tag, and skips cover art when choosing the video stream', () => {
    const p = parseProbeJson(JSON.stringify({ ...base, streams: [
      { index: 0, codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } },
      { index: 1, codec_type: 'video', codec_name: 'h264', width: 640, height: 360, tags: { rotate: '270', language: 'eng' } },
    ] }), 500, 'x.mp4');
    expect(p.display).toEqual({ width: 360, height: 640 });
    expect(p.streams[0]?.attachedPic).toBe(true);
    expect(p.streams[1]).toMatchObject({ rotation: 270, language: 'eng' });
  });
  it('treats a music file with cover art as audio, and numbers ffprobe omits as null', () => {
    const p = parseProbeJson(JSON.stringify({ format: { format_name: 'mp3' }, streams: [
      { index: 0, codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100', channels: 2 },
      { index: 1, codec_type: 'video', codec_name: 'png', width: 500, height: 500, disposition: { attached_pic: 1 } },
    ] }), 123, 'x.mp3');
    expect(p).toMatchObject({ kind: 'audio', display: null, durationSec: null, bitRate: null, sizeBytes: 123 });
  });
});

describe('fingerprint', () => {
  it('is the oshash: size plus 64-bit word sums of the first and last 64 KiB', () => {
    // Known value: a zero-filled 128 KiB file hashes to its size.
    expect(oshashOf(131072, Buffer.alloc(65536), Buffer.alloc(65536))).toBe('0000000000020000');
    const head = Buffer.alloc(65536);
    head.writeBigUInt64LE(0xffffffffffffffffn, 0);
    // Wraps at 64 bits: size 1 + (2^64 - 1) = 0.
    expect(oshashOf(1, head, Buffer.alloc(65536))).toBe('0000000000000000');
  });
  it('differs between files and reads only the ends', async () => {
    const a = await fingerprintFile(join(dir, 'good.mp4'));
    const b = await fingerprintFile(join(dir, 'ten-bit.mkv'));
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});
