import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFfmpeg } from '../../electron/platform/media';
import { checkUsableEncoders, encodersToTest, testEncodeArgs } from '../../electron/platform/media/usableEncoders';
import { resolveBinary } from '../../electron/platform/media';
import { tempDir } from '../helpers/tempDir';

describe('usable encoders', () => {
  const dir = tempDir('church-encoders-');

  it('tests the hardware and preset encoders only, with a tiny lavfi encode into the null muxer', () => {
    expect(encodersToTest(['libx264', 'h264_nvenc', 'rawvideo', 'aac', 'hevc_vaapi', 'flv', 'libsvtav1'])).toEqual(['libx264', 'h264_nvenc', 'aac', 'hevc_vaapi']);
    expect(testEncodeArgs('h264_vaapi')).toEqual(expect.arrayContaining(['-vaapi_device', '/dev/dri/renderD128', '-vf', 'format=nv12,hwupload', '-c:v', 'h264_vaapi', '-f', 'null', '-']));
    expect(testEncodeArgs('aac')).toEqual(expect.arrayContaining(['-c:a', 'aac', '-f', 'null']));
  });

  it('lists an encoder as usable only after its test encode passes, and caches the answer per ffmpeg binary', async () => {
    const real = resolveBinary('ffmpeg').path!;
    // A stand-in for a machine whose ffmpeg has h264_nvenc compiled in but no NVIDIA card: the test encode fails.
    const wrapper = join(dir, 'ffmpeg');
    const calls = join(dir, 'calls.log');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${calls}\ncase " $* " in *" h264_nvenc "*) echo "Cannot load libcuda.so.1" >&2; exit 1 ;; esac\nexec ${real} "$@"\n`, { mode: 0o755 });
    const info = await describeFfmpeg({ ...process.env, FFMPEG_PATH: wrapper });
    const cacheFile = join(dir, 'encoder-check.json');
    const compiled = ['libx264', 'h264_nvenc', 'aac'];
    const count = () => readFileSync(calls, 'utf8').split('\n').filter(Boolean).length;
    const before = count(); // -version and -encoders
    const first = await checkUsableEncoders({ ffmpegPath: wrapper, version: info.version, compiled, cacheFile });
    expect(first.usable).toEqual(['libx264', 'aac']);
    expect(first.failed).toEqual([{ name: 'h264_nvenc', reason: 'Cannot load libcuda.so.1' }]);
    const runs = count();
    expect(runs - before).toBe(3);
    const again = await checkUsableEncoders({ ffmpegPath: wrapper, version: info.version, compiled, cacheFile });
    expect(again).toEqual(first);
    expect(count()).toBe(runs); // from the cache: no new encode
    const newer = await checkUsableEncoders({ ffmpegPath: wrapper, version: 'another-version', compiled, cacheFile });
    expect(newer.usable).toEqual(['libx264', 'aac']);
    expect(count()).toBe(runs + 3);
  });
});
