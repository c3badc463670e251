import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeFile, resolveBinary } from '../../electron/platform/media';
import { readFileFacts, fingerprintFile } from '../../electron/domains/library';
import { runProcess } from '../../electron/platform/process';
import { tempDir } from '../helpers/tempDir';
import { clip, makeAudio, truncateCopy } from '../helpers/libraryFiles';

const dir = tempDir('church-header-');

async function ffmpeg(args: string[]): Promise<void> {
  const r = await runProcess(resolveBinary('ffmpeg').path!, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(r.stderr);
}
const lavfi = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30000/1001:duration=1'];

// Files the in-process header reader must describe exactly as ffprobe does.
const EXACT = ['plain.mp4', 'rotated.mp4', 'hevc10.mp4', 'faststart-high.mov', 'high422.mp4', 'song.m4a'];
// Files it must hand to ffprobe (it would not be sure, or they are broken).
const FALLBACK = ['fragmented.mp4', 'mp3.mp4', 'cut.mp4', 'matroska.mkv'];

beforeAll(async () => {
  await clip(join(dir, 'plain.mp4'));
  await ffmpeg(['-i', join(dir, 'plain.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', join(dir, 'rotated.mp4')]);
  await ffmpeg([...lavfi, '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=none', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1', '-c:a', 'aac', '-ac', '2', '-metadata:s:a', 'language=deu', join(dir, 'hevc10.mp4')]);
  await ffmpeg([...lavfi, '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', join(dir, 'faststart-high.mov')]);
  await ffmpeg([...lavfi, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv422p10le', join(dir, 'high422.mp4')]);
  await makeAudio(join(dir, 'song.m4a'));
  await ffmpeg([...lavfi, '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+frag_keyframe+empty_moov', join(dir, 'fragmented.mp4')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'libmp3lame', join(dir, 'mp3.mp4')]);
  truncateCopy(join(dir, 'plain.mp4'), join(dir, 'cut.mp4'), 20_000);
  await clip(join(dir, 'matroska.mkv'));
}, 60_000);

describe('in-process MP4/MOV header reader', () => {
  it.each(EXACT)('%s: the same ProbeResult as ffprobe', async (name) => {
    const facts = await readFileFacts(join(dir, name));
    expect(facts.header).not.toBeNull();
    expect(facts.header).toEqual(await probeFile(join(dir, name), { timeoutMs: 10_000 }));
  });

  it('reads rotation, 10-bit HEVC, 4:2:2, languages and AAC layout', async () => {
    expect((await readFileFacts(join(dir, 'rotated.mp4'))).header?.display).toEqual({ width: 240, height: 320 });
    const hevc = (await readFileFacts(join(dir, 'hevc10.mp4'))).header!;
    expect(hevc.streams.map((s) => [s.codec, s.profile, s.pixFmt, s.bitDepth, s.fps, s.channels, s.language])).toEqual([
      ['hevc', 'Main 10', 'yuv420p10le', 10, 29.97, null, null],
      ['aac', 'LC', null, null, null, 2, 'deu'],
    ]);
    expect((await readFileFacts(join(dir, 'high422.mp4'))).header?.streams[0]).toMatchObject({ profile: 'High 4:2:2', pixFmt: 'yuv422p10le' });
  });

  it.each(FALLBACK)('%s: left to ffprobe', async (name) => {
    expect((await readFileFacts(join(dir, name))).header).toBeNull();
  });

  it('computes the same fingerprint as the stand-alone reader', async () => {
    for (const name of [...EXACT, 'cut.mp4']) {
      expect((await readFileFacts(join(dir, name))).fingerprint).toBe((await fingerprintFile(join(dir, name))).fingerprint);
    }
  });
});
