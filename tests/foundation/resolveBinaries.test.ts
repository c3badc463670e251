import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBinary, parseEncoders, parseVersionLine, resolveBinary } from '../../electron/platform/media';
import { tempDir } from '../helpers/tempDir';

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

  it('uses ffprobe-static before the PATH', () => {
    const r = resolveBinary('ffprobe', { PATH: dir });
    expect(r.source).toBe('static-package');
    expect(r.path).toContain('ffprobe-static');
  });

  it('falls back to the PATH, then explains how to install it', () => {
    // ffmpeg-static is an optional dependency that cannot download here, so the PATH is what remains.
    const onPath = resolveBinary('ffmpeg', { PATH: `/nonexistent:${dir}` });
    if (onPath.source === 'static-package') expect(onPath.path).toContain('ffmpeg-static');
    else expect(onPath).toEqual({ path: fake, source: 'path' });
    const none = resolveBinary('ffmpeg', { PATH: '/nonexistent' });
    if (none.source !== 'static-package') {
      expect(none.path).toBeNull();
      expect(none.problem).toMatch(/apt-get install ffmpeg|FFMPEG_PATH/);
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
