import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { avatarFrameAt, avatarLayout, compositeOver, drawOverlayFrameAt, frameTime, placeAvatarFrame, type AvatarCue, type AvatarFrame } from '../../shared/avatar';
import { AvatarService, writeCueOverlay } from '../../electron/domains/avatar';
import { openDatabase } from '../../electron/platform/db';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import { SettingsStore } from '../../electron/platform/settings';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

const W = 320;
const H = 240;
const ffmpeg = resolveBinary('ffmpeg').path!;

const FPS = 25;
// Fades, a move, a typed bubble with accents and an emoji, and a speech span: everything that moves is baked.
const cues: AvatarCue[] = [
  { id: 'a', at: 0, expression: 'happy', fadeMs: 0 },
  { id: 'b', at: 0.6, expression: 'sad', say: 'Hi lab! ça va? 🙂', fadeMs: 400 },
  { id: 'c', at: 1.2, expression: 'surprised', corner: 'top-left', say: '', moveMs: 300 },
  { id: 'd', at: 1.6, expression: 'wink', say: 'Bye', sayForSec: 5, speakSec: 0.3 },
];
const look = { corner: 'bottom-right' as const, sizePct: 45, marginPct: 4, opacity: 0.9 };

let frames = 0;
/** The frame shown at time t (frame number floor(t * FPS), picked by index, not by seeking), as RGBA bytes. */
async function frameAt(file: string, t: number, dir: string): Promise<Uint8Array> {
  const raw = join(dir, `frame-${frames++}.rgba`);
  const r = await runProcess(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-vf', `select=eq(n\\,${Math.floor(t * FPS + 1e-6)})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', raw],
    { timeoutMs: 30_000 },
  );
  if (r.code !== 0) throw new Error(`frame extraction failed: ${r.stderr}`);
  const buf = readFileSync(raw);
  expect(buf.length).toBe(W * H * 4);
  return new Uint8Array(buf);
}

/** Mean absolute difference of RGB over a box of the frame. */
function mad(a: Uint8Array | Uint8ClampedArray, b: Uint8Array | Uint8ClampedArray, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let sum = 0;
  let n = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * W + x) * 4;
      for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c]! - b[i + c]!);
      n += 3;
    }
  }
  return sum / n;
}

describe('the baked overlay matches the live overlay', () => {
  const dir = tempDir('church-avatar-bake-');
  let clip: string;
  let list: string;

  beforeAll(async () => {
    clip = await makeClip(join(dir, 'clip.mp4'), { seconds: 2, width: W, height: H, audio: false });
    const files = (await writeCueOverlay(cues, look, { width: W, height: H, durationSec: 2, workDir: join(dir, 'overlay'), fps: FPS }))!;
    list = files.path;
  });

  it('writes one PNG per distinct picture and an ffconcat list whose entries start a quarter frame before their frames', async () => {
    const text = readFileSync(list, 'utf8').trim().split('\n');
    expect(text[0]).toBe('ffconcat version 1.0');
    const durations = text.filter((l) => l.startsWith('duration')).map((l) => Number(l.split(' ')[1]));
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 5);
    // The still run before the first fade: frames 0..14, so the entry ends a quarter frame before frame 15.
    expect(durations[0]).toBeCloseTo(14.75 / FPS, 6);
    expect(text.filter((l) => l.startsWith('file'))).toHaveLength(durations.length + 1);
    expect(text.filter((l) => l === `option framerate ${FPS}`)).toHaveLength(durations.length + 1);
    await expect(writeCueOverlay(cues, look, { width: 0, height: H, durationSec: 2, workDir: join(dir, 'bad') })).rejects.toThrow(/frame size/);
    expect(await writeCueOverlay([], look, { width: W, height: H, durationSec: 2, workDir: join(dir, 'none') })).toBeNull();
  });

  for (const pixFmt of ['yuv444p', 'yuv420p']) {
    it(`ffmpeg overlaying the list gives, at each frame, the preview's avatarFrameAt picture composited the same way (${pixFmt})`, async () => {
      const out = join(dir, `baked-${pixFmt}.mkv`);
      const r = await runProcess(
        ffmpeg,
        ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-f', 'concat', '-safe', '0', '-i', list,
          '-filter_complex', '[0:v][1:v]overlay=0:0:format=auto[v]', '-map', '[v]',
          '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', pixFmt, out],
        { timeoutMs: 60_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      // Threshold: yuv444p differs from the RGB maths only by colour conversion; 4:2:0 also halves chroma resolution.
      const threshold = pixFmt === 'yuv444p' ? 1.5 : 4;
      // Crisp text and outlines on a 4:2:0 frame lose more to chroma subsampling than the soft face does.
      const boxThreshold = pixFmt === 'yuv444p' ? 1.5 : 7;
      // Sampled inside frames: a still frame, mid-fade, typing, mid-move, speaking, a settled bubble.
      for (const t of [0.3, 0.74, 0.98, 1.3, 1.7, 1.94]) {
        const frame = avatarFrameAt(cues, frameTime(t, FPS));
        const [baked, original] = await Promise.all([frameAt(out, t, dir), frameAt(clip, t, dir)]);
        const expected = compositeOver(original, drawOverlayFrameAt(look, frame, W, H));
        // The face's eyes-and-mouth area, where expressions differ (the rest of the box is the same face).
        const p = placeAvatarFrame(look, frame, W, H);
        const { cx, cy, r } = avatarLayout(p.size, p.size).face;
        const box = { x0: Math.floor(p.x + cx - 0.6 * r), x1: Math.ceil(p.x + cx + 0.6 * r), y0: Math.floor(p.y + cy - 0.45 * r), y1: Math.ceil(p.y + cy + 0.7 * r) };
        const same = mad(baked, expected, box);
        expect(same, `t=${t}`).toBeLessThan(threshold);
        // The same moment drawn with another expression (or a frame earlier in a fade) must be told apart.
        const other: AvatarFrame = { ...frame, expression: frame.expression === 'neutral' ? 'angry' : 'neutral', fromExpression: null, fade: 1, mouth: 0 };
        expect(mad(baked, compositeOver(original, drawOverlayFrameAt(look, other, W, H)), box), `t=${t}`).toBeGreaterThan(threshold * 2);
        // The whole box (bubble and its text included) matches too.
        expect(mad(baked, expected, { x0: p.x, y0: p.y, x1: p.x + p.size, y1: p.y + p.size }), `t=${t} box`).toBeLessThan(boxThreshold);
        if (frame.say) {
          const bubble = avatarLayout(p.size, p.size).bubble;
          const area = { x0: Math.floor(p.x + bubble.x0), y0: Math.floor(p.y + bubble.y0), x1: Math.ceil(p.x + bubble.x1), y1: Math.ceil(p.y + bubble.y1) };
          const otherText = compositeOver(original, drawOverlayFrameAt(look, { ...frame, say: 'Something else', sayChars: 14 }, W, H));
          expect(mad(baked, expected, area), `t=${t} bubble`).toBeLessThan(boxThreshold);
          expect(mad(baked, otherText, area), `t=${t} other text`).toBeGreaterThan(boxThreshold * 1.5);
        }
      }
      // What was sampled really moved: a fade, a move and an open mouth were among the frames.
      expect(avatarFrameAt(cues, frameTime(0.74, FPS)).fade).toBeLessThan(1);
      expect(avatarFrameAt(cues, frameTime(1.3, FPS)).move).toBeLessThan(1);
      expect(avatarFrameAt(cues, frameTime(1.7, FPS)).mouth).toBeGreaterThan(0);
      expect(avatarFrameAt(cues, frameTime(0.98, FPS)).sayChars).toBeLessThan(16);
    });
  }

  it('AvatarService.renderCueOverlay bakes the saved track with the saved look, and null for a video without one', async () => {
    const db = openDatabase(join(dir, 'studio.sqlite'));
    const settings = new SettingsStore(db);
    const events: string[] = [];
    const avatar = new AvatarService({ db, settings, emit: (name) => events.push(name), videoExists: (id) => id === 7 });
    avatar.setSettings(look);
    avatar.saveTrack(7, cues);
    const res = await avatar.renderCueOverlay(7, { width: W, height: H, durationSec: 2, workDir: join(dir, 'svc'), fps: FPS });
    expect(res).toEqual({ path: join(dir, 'svc', 'avatar.ffconcat'), format: 'concat' });
    expect(readFileSync(res!.path, 'utf8')).toBe(readFileSync(list, 'utf8'));
    expect(readFileSync(join(dir, 'svc', 'avatar-00001.png')).equals(readFileSync(join(dir, 'overlay', 'avatar-00001.png')))).toBe(true);
    expect(await avatar.renderCueOverlay(8, { width: W, height: H, durationSec: 2, workDir: join(dir, 'svc8') })).toBeNull();
    expect(events).toEqual(['avatar.settings', 'avatar.track']);
    db.close();
  });
});
