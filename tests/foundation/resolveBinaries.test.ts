import { accessSync, chmodSync, constants, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBinary, parseEncoders, parseVersionLine, resolveBinary } from '../../electron/platform/media';
import { tempDir } from '../helpers/tempDir';
import { writeToolStandIn } from '../helpers/onPath';

/** ffmpeg-static's binary when the optional package installed one (its download may have failed), else null. */
function staticFfmpeg(): string | null {
  try {
    const p = createRequire(import.meta.url)('ffmpeg-static') as string | null;
    if (!p) return null;
    accessSync(p, constants.X_OK);
    return p;
  } catch {
    return null;
  }
}

describe('ffmpeg and ffprobe resolution', () => {
  const dir = tempDir();
  const fake = join(dir, 'ffmpeg');
  writeFileSync(fake, '#!/bin/sh\necho "ffmpeg version 9.9-test Copyright"\n');
  chmodSync(fake, 0o755);

  it('prefers FFMPEG_PATH', () => {
    expect(resolveBinary('ffmpeg', { PATH: '/usr/bin', FFMPEG_PATH: fake })).toEqual({ path: fake, source: 'env' });
  });

  it('reports an FFMPEG_PATH that points at nothing, rather than silently using another ffmpeg', () => {
    const r = resolveBinary('ffmpeg', { PATH: '/usr/bin', FFMPEG_PATH: join(dir, 'missing') });
    expect(r.path).toBeNull();
    expect(r.problem).toContain('FFMPEG_PATH');
  });

  it('takes ffprobe-static only together with ffmpeg-static, the PATH\'s ffprobe with the PATH\'s ffmpeg', () => {
    const both = join(dir, 'both');
    writeToolStandIn(both, 'ffmpeg', '5.1.9');
    const probe = writeToolStandIn(both, 'ffprobe', '5.1.9');
    const r = resolveBinary('ffprobe', { PATH: both });
    if (staticFfmpeg()) expect(r).toMatchObject({ source: 'static-package', path: expect.stringContaining('ffprobe-static') });
    else expect(r).toEqual({ path: probe, source: 'path' });
  });

  it('falls back to the PATH, then explains how to install it', () => {
    // ffmpeg-static is an optional dependency whose download can fail: where its binary is present it comes before
    // the PATH, so the expectation is fixed by checking for it here, independently of resolveBinary.
    const pkg = staticFfmpeg();
    const onPath = resolveBinary('ffmpeg', { PATH: `/nonexistent:${dir}` });
    const none = resolveBinary('ffmpeg', { PATH: '/nonexistent' });
    if (pkg) {
      expect(onPath).toEqual({ path: pkg, source: 'static-package' });
      expect(none).toEqual({ path: pkg, source: 'static-package' });
    } else {
      expect(onPath).toEqual({ path: fake, source: 'path' });
      expect(none).toEqual({ path: null, source: 'missing', problem: expect.stringMatching(/apt-get install ffmpeg.*FFMPEG_PATH/) });
    }
  });

  it('runs the binary to read its version', async () => {
    const info = await describeBinary('ffmpeg', { ...process.env, FFMPEG_PATH: fake });
    expect(info).toMatchObject({ path: fake, source: 'env', version: '9.9-test' });
    const real = await describeBinary('ffprobe');
    expect(real.version).toMatch(/^\d/);
  });

  it('parses version lines and encoder lists', () => {
    expect(parseVersionLine('ffmpeg', 'ffmpeg version n6.1.1-static https://x\n')).toBe('n6.1.1-static');
    const enc = ` V..... = Video\n ------\n V....D libx264              libx264 H.264\n A....D aac                  AAC\n V....D h264_nvenc           NVIDIA\n`;
    expect(parseEncoders(enc)).toEqual(['libx264', 'aac', 'h264_nvenc']);
  });
});
