import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../shared/dto/probe';
import { probeFile } from '../../electron/platform/media/probe';
import { buildPosterArgs, resolveBinary, spriteGeometry } from '../../electron/platform/media';
import { buildLadderArgs, buildWebArgs, planRenditions, resolveParams } from '../../electron/platform/media/presets';
import type { LadderParams, WebParams } from '../../electron/platform/media/presets/schema';
import { runProcess } from '../../electron/platform/process';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

// Portrait and odd-shaped sources through the sizing rule (short side, never up, display aspect with rotation
// and non-square pixels applied), on real files probed by ffprobe; the ladder and web-720 run through ffmpeg
// for the shapes that went wrong before, and their outputs are probed.

const ffmpegBin = resolveBinary('ffmpeg').path!;
async function ffmpeg(args: string[]): Promise<void> {
  const r = await runProcess(ffmpegBin, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(r.stderr);
}

const ladder = resolveParams('ladder', {}).params as LadderParams;
const web720 = resolveParams('web', { maxHeight: 720, x264Preset: 'ultrafast' }).params as WebParams;
// The small test clips stand in for phone-sized ones: the same shapes at a quarter of the size.
const smallRungs = [{ height: 270, videoKbps: 900 }, { height: 180, videoKbps: 500 }, { height: 120, videoKbps: 250 }];

describe('output sizes follow the short side and the display shape', () => {
  const dir = tempDir('church-shapes-');
  const probes: Record<string, ProbeResult> = {};
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    paths.landscape = await makeClip(join(dir, 'landscape.mp4'), { width: 320, height: 180, seconds: 1 });
    paths.portrait = await makeClip(join(dir, 'portrait.mp4'), { width: 180, height: 320, seconds: 1 });
    paths.square = await makeClip(join(dir, 'square.mp4'), { width: 240, height: 240, seconds: 1, audio: false });
    // A phone records landscape pixels with a 90° display rotation (written as a display matrix on stream copy).
    await ffmpeg(['-i', paths.landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', join(dir, 'phone.mp4')]);
    paths.phone = join(dir, 'phone.mp4');
    // Anamorphic: 240x180 storage with 4:3 pixels shows as 320x180 (like 16:9 DVD video).
    paths.anamorphic = await makeClip(join(dir, 'anamorphic.mp4'), { width: 240, height: 180, seconds: 1, extra: ['-vf', 'setsar=4/3'] });
    for (const [name, path] of Object.entries(paths)) probes[name] = await probeFile(path);
  }, 60_000);

  it('the probe applies rotation and non-square pixels to the display size', () => {
    expect(probes.landscape!.display).toEqual({ width: 320, height: 180 });
    expect(probes.portrait!.display).toEqual({ width: 180, height: 320 });
    expect(probes.phone!.display).toEqual({ width: 180, height: 320 });
    expect(probes.square!.display).toEqual({ width: 240, height: 240 });
    expect(probes.anamorphic!.streams[0]!.sar).toBeCloseTo(4 / 3, 3);
    expect(probes.anamorphic!.display).toEqual({ width: 320, height: 180 });
    expect(probes.landscape!.streams[0]!.sar).toBeUndefined();
  });

  it('ladder rungs by the short side, never above the source, named by what they are', () => {
    const full = (d: { width: number; height: number }) => planRenditions(d, ladder.renditions).map((r) => `${r.name} ${r.width}x${r.height}`);
    // The phone clip: 720x1280 gets 720p at its own size and 480p, not a "1080p" smaller than itself.
    expect(full({ width: 720, height: 1280 })).toEqual(['720p 720x1280', '480p 480x852']);
    expect(full({ width: 1080, height: 1920 })).toEqual(['1080p 1080x1920', '720p 720x1280', '480p 480x852']);
    expect(full({ width: 1920, height: 1080 })).toEqual(['1080p 1920x1080', '720p 1280x720', '480p 852x480']);
    expect(full({ width: 1080, height: 1080 })).toEqual(['1080p 1080x1080', '720p 720x720', '480p 480x480']);
    const plan = (name: string) => planRenditions(probes[name]!.display!, smallRungs, !probes[name]!.streams[0]!.sar).map((r) => `${r.name} ${r.width}x${r.height}${r.sourceSize ? ' source' : ''}`);
    expect(plan('landscape')).toEqual(['180p 320x180 source', '120p 212x120']);
    expect(plan('portrait')).toEqual(['180p 180x320 source', '120p 120x212']);
    expect(plan('phone')).toEqual(['180p 180x320 source', '120p 120x212']);
    expect(plan('square')).toEqual(['180p 180x180', '120p 120x120']);
    // Non-square pixels are always scaled to square ones, so RESOLUTION= is the shape a player shows.
    expect(plan('anamorphic')).toEqual(['180p 320x180', '120p 212x120']);
  });

  it('web-720, posters and sprite tiles follow the same rule', () => {
    const scaleOf = (args: string[]) => args[args.indexOf('-vf') + 1]!.split(',')[0];
    const phone1080 = { ...probes.phone!, display: { width: 1080, height: 1920 } };
    expect(scaleOf(buildWebArgs('/v/p.mp4', phone1080, web720, '/o/p.mp4').args)).toBe('scale=720:1280:flags=bicubic');
    const phone720 = { ...probes.phone!, display: { width: 720, height: 1280 } };
    expect(buildWebArgs('/v/p.mp4', phone720, web720, '/o/p.mp4').plan).not.toContain('larger than 720p');
    expect(scaleOf(buildPosterArgs({ input: '/v', output: '/o.jpg', seekSec: 0, display: { width: 1080, height: 1920 } }))).toBe('scale=360:640:flags=bicubic');
    expect(scaleOf(buildPosterArgs({ input: '/v', output: '/o.jpg', seekSec: 0, display: { width: 1920, height: 1080 } }))).toBe('scale=640:360:flags=bicubic');
    expect(scaleOf(buildPosterArgs({ input: '/v', output: '/o.jpg', seekSec: 0, display: probes.anamorphic!.display }))).toBe('scale=320:180:flags=bicubic');
    const tile = (name: string) => { const g = spriteGeometry(1, probes[name]!.display); return `${g.tileWidth}x${g.tileHeight}`; };
    expect([tile('landscape'), tile('portrait'), tile('phone'), tile('square'), tile('anamorphic')]).toEqual(['160x90', '90x160', '90x160', '160x160', '160x90']);
  });

  for (const shape of ['phone', 'anamorphic'] as const) {
    it(`${shape}: the ladder's master playlist and renditions have the display shape`, async () => {
      const out = join(dir, `ladder-${shape}`);
      mkdirSync(out, { recursive: true });
      const { command, renditions } = buildLadderArgs(paths[shape]!, probes[shape]!, { ...ladder, renditions: smallRungs, segmentSec: 0.5, x264Preset: 'ultrafast' }, out);
      const r = await runProcess(ffmpegBin, command.args, { timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      const master = readFileSync(join(out, 'master.m3u8'), 'utf8');
      const want = shape === 'phone' ? ['180x320', '120x212'] : ['320x180', '212x120'];
      expect([...master.matchAll(/RESOLUTION=(\d+x\d+)/g)].map((m) => m[1])).toEqual(want);
      expect(renditions.map((x) => x.name)).toEqual(['180p', '120p']);
      for (const [i, name] of ['180p', '120p'].entries()) {
        const v = (await probeFile(join(out, name, 'index.m3u8'))).streams.find((s) => s.type === 'video')!;
        expect(`${v.width}x${v.height}`).toBe(want[i]);
        expect([v.rotation, v.sar]).toEqual([0, undefined]);
      }
    }, 120_000);
  }
});
