import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import { avatarFrameAt, avatarLayout, drawOverlayFrameAt, faceImageFromBase64, placeAvatarFrame, type FaceImage } from '../../shared/avatar';
import type { FacePicture, OverlaySettings } from '../../shared/dto/avatar';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';

const ffmpeg = resolveBinary('ffmpeg').path!;
const W = 320;
const H = 240;

async function ff(args: string[]): Promise<void> {
  const r = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(r.stderr);
}

/** The picture's centre pixel. */
const centre = (img: FaceImage): [number, number, number] => {
  const i = ((img.size / 2) * img.size + img.size / 2) * 4;
  return [img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!];
};

describe('a library video frame or an image file as the avatar face, the same in preview and bake', () => {
  const dir = tempDir('church-avatar-face-');
  const host = testHost();
  let videoId: number;
  const dispatch = (name: string, input: unknown) => host.dispatch(name, input, { actor: 'cli' }) as Promise<Result<unknown>>;
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await dispatch(name, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const picture = async () => {
    const p = await call<FacePicture | null>('avatar.facePicture', {});
    return p ? faceImageFromBase64(p.size, p.rgbaBase64) : null;
  };

  beforeAll(async () => {
    // Red for the first second, blue for the second: the frame picked by time shows which.
    const clip = join(dir, 'twocolours.mp4');
    await ff(['-f', 'lavfi', '-i', `color=c=red:s=${W}x${H}:r=25:d=1`, '-f', 'lavfi', '-i', `color=c=blue:s=${W}x${H}:r=25:d=1`, '-filter_complex', '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]', '-pix_fmt', 'yuv420p', clip]);
    await ff(['-f', 'lavfi', '-i', 'color=c=lime:s=64x48', '-frames:v', '1', join(dir, 'face.png')]);
    writeFileSync(join(dir, 'broken.png'), 'not a picture');
    await call<ImportSummary>('library.import', { paths: [clip], assets: false });
    videoId = (await call<VideoPage>('library.search', {})).items[0]!.id;
  });

  it('cuts the frame at the chosen time, or the image file, into a square picture; none for the built-in face', async () => {
    expect(await picture()).toBeNull();
    await call<OverlaySettings>('avatar.setSettings', { source: { kind: 'library', videoId, atSec: 1.5 } });
    const [r, g, b] = centre((await picture())!);
    expect(b).toBeGreaterThan(200);
    expect(r + g).toBeLessThan(60);
    await call<OverlaySettings>('avatar.setSettings', { source: { kind: 'library', videoId, atSec: 0.2 } });
    expect(centre((await picture())!)[0]).toBeGreaterThan(200);
    await call<OverlaySettings>('avatar.setSettings', { source: { kind: 'image', path: join(dir, 'face.png') } });
    const [r2, g2, b2] = centre((await picture())!);
    expect(g2).toBeGreaterThan(200);
    expect(r2 + b2).toBeLessThan(60);
  });

  it('a missing file, an unreadable picture and a time past the end are clear errors, and the built-in face stays usable', async () => {
    const missing = await dispatch('avatar.setSettings', { source: { kind: 'image', path: join(dir, 'nope.png') } });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no file .*nope\.png/) });
    expect(!(await dispatch('avatar.setSettings', { source: { kind: 'image', path: 'face.png' } })).ok).toBe(true);
    await call('avatar.setSettings', { source: { kind: 'image', path: join(dir, 'broken.png') } });
    const broken = await dispatch('avatar.facePicture', {});
    expect(!broken.ok && broken.error).toMatchObject({ code: 'EXTERNAL', message: expect.stringMatching(/could not take the avatar's face from broken\.png: .*Drawn from/) });
    await call('avatar.setSettings', { source: { kind: 'library', videoId, atSec: 30 } });
    const late = await dispatch('avatar.facePicture', {});
    expect(!late.ok && late.error.message).toMatch(/twocolours\.mp4/);
    await call('avatar.setSettings', { source: { kind: 'builtin' } });
    expect(await picture()).toBeNull();
  });

  it('the bake draws the picture in the face circle, with the speaking mouth on it, byte for byte as the preview draws', async () => {
    await call('avatar.setSettings', { source: { kind: 'library', videoId, atSec: 1.5 } });
    const cues = [
      { id: 'a', at: 0, say: 'Hi' },
      { id: 'b', at: 1, speakSec: 0.5 },
    ];
    await call('avatar.saveTrack', { videoId, cues });
    const settings = await call<OverlaySettings>('avatar.getSettings', {});
    const face = (await picture())!;
    const baked = await host.avatar.renderCueOverlay(videoId, { width: W, height: H, durationSec: 2, workDir: join(dir, 'bake'), fps: 25 });
    expect(baked).not.toBeNull();
    const list = readFileSync(baked!.path, 'utf8');
    const fileAt = (frameIndex: number) => {
      // Runs are listed in order; find the picture shown at this frame by replaying the durations.
      const entries = [...list.matchAll(/file '([^']+)'\n.*\nduration ([\d.]+)/g)].map((m) => ({ file: m[1]!, dur: Number(m[2]) }));
      let t = 0;
      for (const e of entries) {
        if (frameIndex / 25 < t + e.dur) return e.file;
        t += e.dur;
      }
      return entries.at(-1)!.file;
    };
    for (const k of [10, 30]) {
      const png = PNG.sync.read(readFileSync(join(dir, 'bake', fileAt(k))));
      const frame = avatarFrameAt(cues, k / 25);
      const preview = drawOverlayFrameAt(settings, frame, W, H, { faceImage: face });
      expect(Buffer.from(png.data).equals(Buffer.from(preview.buffer)), `frame ${k}`).toBe(true);
      // The face's centre shows the picture (blue), not the built-in skin.
      const p = placeAvatarFrame(settings, frame, W, H);
      const f = avatarLayout(p.size, p.size).face;
      const i = ((p.y + Math.round(f.cy - f.r * 0.4)) * W + p.x + Math.round(f.cx)) * 4;
      expect(png.data[i + 2]).toBeGreaterThan(200);
      expect(png.data[i]).toBeLessThan(60);
    }
    // Speaking (frame 30) opens the mouth over the picture: not the still picture of frame 10.
    const still = drawOverlayFrameAt(settings, avatarFrameAt(cues, 10 / 25), W, H, { faceImage: face });
    const speaking = drawOverlayFrameAt(settings, { ...avatarFrameAt(cues, 10 / 25), mouth: 3 }, W, H, { faceImage: face });
    expect(Buffer.from(still.buffer).equals(Buffer.from(speaking.buffer))).toBe(false);
  });
});
