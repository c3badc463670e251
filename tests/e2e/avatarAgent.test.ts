import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { ensureBubbleFonts } from '../../electron/domains/avatar/bubbleFonts';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import {
  avatarFrameAt,
  avatarLayout,
  BUILTIN_EXPRESSIONS,
  compositeOver,
  drawOverlayFrameAt,
  faceBookOf,
  frameTime,
  placeAvatarFrame,
  type AvatarCue,
} from '../../shared/avatar';
import { parseExpressionFile } from '../../shared/avatar/expressionFile';
import type { OverlaySettings } from '../../shared/dto/avatar';
import { screenshotPath } from '../helpers/browser';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { callServeValue, seedLibrary } from '../helpers/studio';
import { connectMcp, textOf } from '../helpers/mcp';
import { useStudioPage } from '../helpers/studioPage';

const W = 320;
const H = 240;
const FPS = 25;
const ffmpeg = resolveBinary('ffmpeg').path!;
const SMUG = {
  description: 'One eye shut, a wide lopsided smile, lilac skin',
  whenToUse: 'teasing the viewer after a joke',
  base: 'happy',
  face: { eyes: 'wink', mouth: 'smile', mouthWidth: 1.4, brows: { inner: 0.06, outer: -0.06 }, colours: { skin: '#e8c8ff', hair: '#7040c0' } },
};
/** The faces the bake and the preview know: the built-ins and the owner's file. */
const FACES = faceBookOf([...BUILTIN_EXPRESSIONS, parseExpressionFile('smug', SMUG, faceBookOf(BUILTIN_EXPRESSIONS))]);

/** Frame number n of a file as RGB bytes (picked by index, not by seeking). */
async function frameRgb(file: string, n: number, dir: string): Promise<Uint8Array> {
  const raw = join(dir, `f-${n}-${Math.random().toString(36).slice(2)}.rgb`);
  const r = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', raw], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(r.stderr);
  return new Uint8Array(readFileSync(raw));
}

/** Mean absolute RGB difference over a box of two frames. */
function mad(a: Uint8Array | Uint8ClampedArray, b: Uint8Array | Uint8ClampedArray, box: { x: number; y: number; size: number }): number {
  let sum = 0;
  let n = 0;
  for (let y = box.y; y < box.y + box.size; y++) {
    for (let x = box.x; x < box.x + box.size; x++) {
      for (let c = 0; c < 3; c++) sum += Math.abs(a[(y * W + x) * 3 + c]! - b[(y * W + x) * 3 + c]!);
      n += 3;
    }
  }
  return sum / n;
}

/** The preview's own picture: the canvas's RGBA pixels and where the page placed it (in frame pixels). */
async function previewAt(page: Page, t: number): Promise<{ rgba: Uint8ClampedArray; size: number; time: string; expression: string }> {
  await page.evaluate((at) => {
    const v = document.querySelector('video')!;
    v.pause();
    v.currentTime = at;
  }, t);
  const want = frameTime(t, FPS).toFixed(3);
  await page.waitForFunction((w) => (document.querySelector('[data-testid="avatar-canvas"]') as HTMLCanvasElement | null)?.dataset.time === w, want, { timeout: 30_000 });
  const got = await page.getByTestId('avatar-canvas').evaluate((c: HTMLCanvasElement) => ({
    data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
    size: c.width,
    time: c.dataset.time ?? '',
    expression: c.dataset.expression ?? '',
  }));
  return { rgba: new Uint8ClampedArray(got.data), size: got.size, time: got.time, expression: got.expression };
}

describe('an agent steers the avatar over MCP while the preview runs; the bake matches the preview', () => {
  let videoId: number;
  let clip: string;
  const dir = tempDir('church-e2e-avatar-agent-');
  const studio = useStudioPage({
    prefix: 'church-e2e-avatar-agent-data-',
    prepare: async (dataDir) => {
      ensureBubbleFonts();
      mkdirSync(join(dir, 'media'), { recursive: true });
      clip = await makeClip(join(dir, 'media', 'compline.mp4'), { seconds: 3, width: W, height: H, fps: FPS, audio: false });
      [videoId] = (await seedLibrary(dataDir, [clip])) as [number];
      // The owner's own expression, a file in the data dir: the agent finds it, uses it, and it bakes as previewed.
      mkdirSync(join(dataDir, 'avatar', 'expressions'), { recursive: true });
      writeFileSync(join(dataDir, 'avatar', 'expressions', 'smug.json'), JSON.stringify(SMUG));
    },
  });

  const callStudio = <T>(name: string, input: unknown) => callServeValue<T>(studio.serve, name, input);

  it('a cue script with fades, a move, typing and speech: preview and bake agree at sampled frames', async () => {
    const errors: string[] = [];
    const page = await studio.openPage({ viewport: { width: 1200, height: 900 }, beforeLoad: (p) => p.on('pageerror', (e) => errors.push(String(e))) });
    await page.getByTestId('lib-item').first().click({ timeout: 20_000 });
    await page.getByTestId('video-detail').waitFor();

    const mcp = await connectMcp(studio.dataDir);
    try {
      const script = [
        { at: 0.4, expression: 'happy', fadeMs: 400, say: 'Bonjour, ça va? 🙂' },
        { at: 1.2, expression: 'surprised', fadeMs: 300, corner: 'top-left', moveMs: 500, speakSec: 0.6 },
        { at: 2.0, expression: 'smug', say: '' },
      ];
      // The agent reads the expressions (the owner's file among them) before choosing; a wrong name is refused
      // with the valid ones listed.
      const listed = await mcp.client.callTool({ name: 'avatar_expressions', arguments: {} });
      expect(listed.structuredContent).toMatchObject({ expressions: expect.arrayContaining([{ name: 'smug', description: SMUG.description, whenToUse: SMUG.whenToUse, builtIn: false }]), problems: [] });
      const resource = await mcp.client.readResource({ uri: 'church://avatar/expressions' });
      expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({ expressions: expect.arrayContaining([expect.objectContaining({ name: 'smug', face: expect.objectContaining({ mouth: 'smile' }) })]) });
      const wrong = await mcp.client.callTool({ name: 'avatar_cue', arguments: { videoId, cue: { expression: 'smirk' } } });
      expect(wrong.isError).toBe(true);
      expect(textOf(wrong)).toMatch(/"smirk" is not one of the studio's expressions \(neutral, .*smug\)/);
      const sent = await mcp.client.callTool({ name: 'avatar_cue', arguments: { videoId, script, save: true } });
      expect(sent.isError, textOf(sent)).toBeFalsy();
      expect(sent.structuredContent).toMatchObject({ savedCues: 3 });
      // The overlay shows once the video has cues to follow (the agent's script is the first).
      await page.getByTestId('avatar-canvas').waitFor();
      const state = await mcp.client.callTool({ name: 'avatar_state', arguments: { videoId, at: 1.3 } });
      expect(state.structuredContent).toMatchObject({ expression: 'surprised', corner: 'top-left', moving: true, speaking: expect.any(Boolean), cuesAround: expect.any(Array) });
      const track = await mcp.client.readResource({ uri: `church://cue-track/${videoId}` });
      const cues = (JSON.parse((track.contents[0] as { text: string }).text) as { cues: AvatarCue[] }).cues;
      expect(cues).toHaveLength(3);
      const settings = await callStudio<OverlaySettings>('avatar.getSettings', {});

      // The preview at sampled frames: still, mid-fade with the bubble typing, mid-move while speaking, settled.
      const samples = [0.2, 0.55, 1.35, 2.5];
      const shown: { t: number; rgba: Uint8ClampedArray; size: number }[] = [];
      for (const t of samples) {
        const p = await previewAt(page, t);
        const frame = avatarFrameAt(cues, frameTime(t, FPS));
        expect(p.expression, `t=${t}`).toBe(frame.expression);
        expect(p.size, `t=${t}`).toBe(placeAvatarFrame(settings, frame, W, H).size);
        shown.push({ t, rgba: p.rgba, size: p.size });
      }
      await page.screenshot({ path: screenshotPath('avatar-agent-script') });
      expect(avatarFrameAt(cues, frameTime(0.55, FPS)).fade).toBeLessThan(1);
      expect(avatarFrameAt(cues, frameTime(1.35, FPS)).move).toBeLessThan(1);

      // Bake the saved track with the real preset, and compare its frames with what the page drew.
      const client = await studio.client();
      const job = await client.call('jobs.enqueue', { videoId, preset: 'avatar-overlay', params: { source: 'cue-track' } });
      const done = await client.followJob(job.id);
      expect(done.status, done.error ?? '').toBe('done');
      for (const s of shown) {
        const n = Math.floor(s.t * FPS + 1e-6);
        const [baked, original] = await Promise.all([frameRgb(done.outputPath, n, dir), frameRgb(clip, n, dir)]);
        const frame = avatarFrameAt(cues, n / FPS);
        const box = placeAvatarFrame(settings, frame, W, H);
        // The canvas's pixels placed where the page placed them, composited over the source frame.
        const overlay = new Uint8ClampedArray(W * H * 4);
        for (let y = 0; y < s.size; y++) overlay.set(s.rgba.subarray(y * s.size * 4, (y + 1) * s.size * 4), ((box.y + y) * W + box.x) * 4);
        const expected = compositeOver(original, overlay, 3);
        const diff = mad(baked, expected, box);
        // The baked file: the face (opaque: only the avatar's own pixels count) and the whole box (where the
        // re-encoded test pattern shows through); x264 at 4:2:0 against exact RGB costs a few levels of 255,
        // a neighbouring frame of the move costs 50-60.
        const { cx, cy, r } = avatarLayout(box.size, box.size).face;
        const face = { x: Math.round(box.x + cx - 0.6 * r), y: Math.round(box.y + cy - 0.5 * r), size: Math.round(1.2 * r) };
        // What Chromium drew is what the bake's code draws for that frame (bytes, before any encoding).
        const drawn = compositeOver(original, drawOverlayFrameAt(settings, frame, W, H, { faces: FACES }), 3);
        expect(mad(expected, drawn, face), `t=${s.t} preview = bake drawing`).toBe(0);
        expect(mad(expected, drawn, box), `t=${s.t} preview = bake drawing (box)`).toBeLessThan(0.5);
        const faceDiff = mad(baked, expected, face);
        expect(faceDiff, `t=${s.t} face`).toBeLessThan(7);
        expect(diff, `t=${s.t}`).toBeLessThan(9);
        const other = shown.find((o) => o.size === s.size && o.t !== s.t);
        if (other) {
          const wrong = new Uint8ClampedArray(W * H * 4);
          for (let y = 0; y < other.size; y++) wrong.set(other.rgba.subarray(y * other.size * 4, (y + 1) * other.size * 4), ((box.y + y) * W + box.x) * 4);
          expect(mad(baked, compositeOver(original, wrong, 3), face), `t=${s.t} vs ${other.t}`).toBeGreaterThan(faceDiff * 1.5);
        }
      }
      expect(errors).toEqual([]);
    } finally {
      await mcp.close();
      await page.close();
    }
  });
});
