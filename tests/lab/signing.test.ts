import { describe, expect, it } from 'vitest';
import { encoderFailedToOpen, hardwareEncoderOf, softwareFallbackArgs } from '../../electron/domains/lab/fallback';
import { fillArgs, resolveSource } from '../../electron/domains/lab/agent/runAgent';
import { NonceCache, signMessage, signUrlPath, verifyMessage, verifyUrlPath } from '../../electron/domains/lab/signing';
import { OUTPUT_TOKEN, SOURCE_TOKEN } from '../../electron/domains/lab/protocol';

const secret = Buffer.from('a-lab-secret-of-more-than-16-chars');
const other = Buffer.from('another-secret-of-more-than-16-chars');

describe('signed lab messages', () => {
  it('accepts a fresh signed message once and refuses forged, wrong-secret, stale, replayed and malformed ones', () => {
    const now = 1_700_000_000_000;
    const env = signMessage(secret, { type: 'cancel', bullId: 'studio-1-a1' }, now);
    const replay = new NonceCache(30_000);
    expect(verifyMessage(secret, env, { maxAgeMs: 30_000, replay, now: now + 100 })).toEqual({ type: 'cancel', bullId: 'studio-1-a1' });
    expect(() => verifyMessage(secret, env, { maxAgeMs: 30_000, replay, now: now + 200 })).toThrow(/replayed/);
    expect(() => verifyMessage(other, env, { maxAgeMs: 30_000, replay: null, now })).toThrow(/bad-signature/);
    expect(() => verifyMessage(secret, { ...env, body: { type: 'kill', runId: 'x', dryRun: false, reason: 'forged' } }, { maxAgeMs: 30_000, replay: null, now })).toThrow(/bad-signature/);
    expect(() => verifyMessage(secret, env, { maxAgeMs: 30_000, replay: null, now: now + 31_000 })).toThrow(/stale/);
    expect(() => verifyMessage(secret, { body: { type: 'cancel' } }, { maxAgeMs: 30_000, replay: null, now })).toThrow(/malformed/);
    expect(() => verifyMessage(secret, 'cancel everything', { maxAgeMs: 30_000, replay: null, now })).toThrow(/malformed/);
  });

  it('signs transfer URLs until they expire, for one path only', () => {
    const url = signUrlPath(secret, '/lab/source/abcdefghijkl', 2_000);
    const q = new URLSearchParams(url.split('?')[1]);
    expect(verifyUrlPath(secret, '/lab/source/abcdefghijkl', q.get('exp'), q.get('sig'), 1_000)).toBe(true);
    expect(verifyUrlPath(secret, '/lab/source/abcdefghijkl', q.get('exp'), q.get('sig'), 3_000)).toBe(false);
    expect(verifyUrlPath(secret, '/lab/output/abcdefghijkl', q.get('exp'), q.get('sig'), 1_000)).toBe(false);
    expect(verifyUrlPath(other, '/lab/source/abcdefghijkl', q.get('exp'), q.get('sig'), 1_000)).toBe(false);
    expect(verifyUrlPath(secret, '/lab/source/abcdefghijkl', null, null, 1_000)).toBe(false);
  });
});

describe('hardware encoder fallback and path mapping', () => {
  const hw = ['-i', SOURCE_TOKEN(0), '-c:v', 'h264_nvenc', '-b:v', '3600k', '-maxrate', '6000k', '-pix_fmt', 'yuv420p', '-f', 'mp4', OUTPUT_TOKEN];
  it('finds the hardware encoder and builds the software encode of the same codec', () => {
    expect(hardwareEncoderOf(hw)).toBe('h264_nvenc');
    expect(hardwareEncoderOf(['-c:v', 'libx264'])).toBeNull();
    expect(softwareFallbackArgs(hw)).toEqual(['-i', SOURCE_TOKEN(0), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-maxrate', '6000k', '-pix_fmt', 'yuv420p', '-f', 'mp4', OUTPUT_TOKEN]);
    expect(softwareFallbackArgs(['-c:v', 'hevc_qsv'])).toEqual(['-c:v', 'libx265', '-preset', 'veryfast', '-crf', '28']);
    expect(softwareFallbackArgs(['-c:v', 'libx264'])).toBeNull();
    expect(encoderFailedToOpen('[h264_nvenc @ 0x1] Cannot load libcuda.so.1\nError while opening encoder for output stream #0:0')).toBe(true);
    expect(encoderFailedToOpen('clip.avi: Invalid data found when processing input')).toBe(false);
  });

  it('reads a source through a mapped mount when the file is there, else by its signed URL', () => {
    const src = { path: '/srv/media/a/clip.mp4', url: 'http://studio:1/lab/source/x?exp=1&sig=y' };
    const map = [{ from: '/srv/media', to: '/mnt/nas/media' }];
    expect(resolveSource(src, map, (p) => p === '/mnt/nas/media/a/clip.mp4')).toBe('file:/mnt/nas/media/a/clip.mp4');
    expect(resolveSource(src, map, () => false)).toBe(src.url);
    expect(resolveSource({ ...src, path: '/srv/media2/clip.mp4' }, map, () => true)).toBe(src.url);
    expect(fillArgs(['-i', SOURCE_TOKEN(0), '-f', 'mp4', OUTPUT_TOKEN], ['file:/x.mp4'], '/tmp/out.mp4')).toEqual(['-i', 'file:/x.mp4', '-f', 'mp4', '/tmp/out.mp4']);
  });
});
