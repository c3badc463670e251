import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { callServe, seedLibrary } from '../helpers/studio';
import { useStudioPage } from '../helpers/studioPage';

/** The avatar canvas's pixels, hashed in the page (a cheap fingerprint of what is drawn). */
async function canvasPixels(page: Page): Promise<{ hash: number; opaque: number; expression: string; corner: string; say: string }> {
  return page.getByTestId('avatar-canvas').evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let hash = 0;
    let opaque = 0;
    for (let i = 0; i < data.length; i++) hash = (hash * 31 + data[i]!) >>> 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
    return { hash, opaque, expression: c.dataset.expression ?? '', corner: c.dataset.corner ?? '', say: c.dataset.say ?? '' };
  });
}

describe('video detail with the avatar overlay (Chromium, browser mode)', () => {
  let videoId: number;
  const studio = useStudioPage({
    prefix: 'church-e2e-preview-',
    prepare: async (dataDir) => {
      const media = tempDir('church-e2e-preview-media-');
      const clip = await makeClip(join(media, 'vespers.mp4'), { seconds: 4, width: 320, height: 240 });
      // Seed the library through the contract, in-process, before the studio starts on the same data dir.
      [videoId] = (await seedLibrary(dataDir, [clip], {
        assets: true,
        then: (host, [id]) => host.dispatch('avatar.saveTrack', { videoId: id, cues: [{ id: 'start', at: 0, expression: 'happy', say: 'Welcome!' }] }, { actor: 'cli' }),
      })) as [number];
    },
  });

  const callStudio = (name: string, input: unknown) => callServe(studio.serve, name, input);

  async function openDetail(beforeLoad?: (page: Page) => void): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1400, height: 900 }, beforeLoad });
    try {
      await page.getByTestId('lib-item').first().click({ timeout: 20_000 });
    } catch (e) {
      await page.screenshot({ path: screenshotPath('preview-debug') });
      throw e;
    }
    return page;
  }

  it('opens a video, plays it, shows the avatar, follows a live cue and a corner change', async () => {
    const errors: string[] = [];
    const page = await openDetail((p) => p.on('pageerror', (e) => errors.push(String(e))));
    await page.getByTestId('video-detail').waitFor();
    await page.getByTestId('avatar-canvas').waitFor();
    await expect.poll(async () => (await canvasPixels(page)).expression).toBe('happy');
    const first = await canvasPixels(page);
    expect(first.say).toBe('Welcome!');
    expect(first.opaque).toBeGreaterThan(500);

    // Play: the media element advances (video.js over the media protocol, by id).
    await page.locator('.vjs-big-play-button').click();
    await expect.poll(() => page.locator('[data-testid="player"] video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    // Space pauses and plays (the shortcut the shell lists for the video detail).
    await page.locator('.pv-head h2').click();
    const paused = () => page.locator('[data-testid="player"] video').evaluate((v: HTMLVideoElement) => v.paused);
    expect(await paused()).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(paused).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(paused).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(paused).toBe(true);

    // A live cue through the contract (what the MCP tool sends): the canvas changes at once, nothing is saved.
    const reply = await callStudio('avatar.push', { cue: { expression: 'surprised', say: 'Hello from an agent' } });
    expect(reply.result?.ok).toBe(true);
    await expect.poll(async () => (await canvasPixels(page)).expression).toBe('surprised');
    const live = await canvasPixels(page);
    expect(live.say).toBe('Hello from an agent');
    expect(live.hash).not.toBe(first.hash);
    // The draft now differs from the saved track: the editor offers to save it.
    expect(await page.getByTestId('cue-save').textContent()).toBe('Save track');
    await page.screenshot({ path: screenshotPath('preview-live-cue') });

    // Corner: the box moves to the other side of the picture.
    const before = (await page.getByTestId('avatar-canvas').boundingBox())!;
    await page.getByTestId('corner-top-left').click();
    await expect.poll(async () => (await page.getByTestId('avatar-canvas').boundingBox())!.x).toBeLessThan(before.x - 50);
    const after = (await page.getByTestId('avatar-canvas').boundingBox())!;
    expect(after.y).toBeLessThan(before.y);
    expect((await canvasPixels(page)).corner).toBe('top-left');
    await page.screenshot({ path: screenshotPath('preview-detail') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('edits the cue track on the timeline and saves it; a cue an agent saves "now" lands at the playhead', async () => {
    const page = await openDetail();
    await page.getByTestId('avatar-canvas').waitFor();
    await expect.poll(async () => (await canvasPixels(page)).expression).toBe('happy');
    // Seek to 2 s by clicking the track, add a cue there, make it sleepy and silent, save.
    const track = (await page.getByTestId('cue-track').boundingBox())!;
    await page.mouse.click(track.x + track.width / 2, track.y + track.height / 2);
    await expect.poll(() => page.locator('[data-testid="player"] video').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(1.5);
    await page.getByTestId('cue-add').click();
    await page.getByTestId('expr-sleepy').click();
    await page.getByTestId('cue-say').fill('Good night');
    await expect.poll(async () => (await canvasPixels(page)).expression).toBe('sleepy');
    expect((await canvasPixels(page)).say).toBe('Good night');
    await page.getByTestId('cue-save').click();
    await expect.poll(() => page.getByTestId('cue-save').textContent()).toBe('Saved');
    const saved = await callStudio('avatar.getTrack', { videoId });
    const cues = (saved.result?.value as { cues: { at: number; expression?: string; say?: string }[] }).cues;
    expect(cues).toHaveLength(2);
    expect(cues[1]).toMatchObject({ expression: 'sleepy', say: 'Good night' });
    expect(cues[1]!.at).toBeGreaterThan(1.5);
    expect(cues[1]!.at).toBeLessThan(2.5);

    // An agent saves a cue "now": main resolves it with the playhead the open preview reported.
    const playhead = await page.locator('[data-testid="player"] video').evaluate((v: HTMLVideoElement) => v.currentTime);
    // The preview reports its position when the seek ends and every 2 s: wait until main holds this one.
    const client = await studio.client();
    await expect.poll(async () => Math.abs(((await client.call('avatar.state', { videoId, aroundSec: 0 })).playhead ?? -1) - playhead), { timeout: 15_000 }).toBeLessThan(0.05);
    const reply = await callStudio('avatar.push', { videoId, cue: { at: 'now', expression: 'wink' }, save: true });
    expect(reply.result?.ok, JSON.stringify(reply.result?.error)).toBe(true);
    const at = (reply.result?.value as { event: { cue: { at: number } } }).event.cue.at;
    expect(Math.abs(at - playhead)).toBeLessThan(0.05);
    await expect.poll(async () => (await canvasPixels(page)).expression).toBe('wink');
    // It arrived saved, so the editor has nothing new to save.
    expect(await page.getByTestId('cue-save').textContent()).toBe('Saved');
    expect(await page.getByTestId('cue-marker').count()).toBe(3);
    await page.screenshot({ path: screenshotPath('preview-cue-editor') });

    // Drag the first cue (at 0) to about a quarter of the track; delete another; Revert brings both back.
    const marker = page.getByTestId('cue-marker').first();
    const m = (await marker.boundingBox())!;
    const bar = (await page.getByTestId('cue-track').boundingBox())!;
    await page.mouse.move(m.x + m.width / 2, m.y + m.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width * 0.15, m.y + m.height / 2, { steps: 5 });
    await page.mouse.move(bar.x + bar.width * 0.25, m.y + m.height / 2, { steps: 5 });
    await page.mouse.up();
    const movedAt = Number(await page.getByTestId('cue-form').locator('input[type="number"]').first().inputValue());
    expect(movedAt).toBeGreaterThan(0.7);
    expect(movedAt).toBeLessThan(1.3);
    expect(await page.getByTestId('cue-save').textContent()).toBe('Save track');
    await page.getByTestId('cue-delete').click();
    expect(await page.getByTestId('cue-marker').count()).toBe(2);
    await page.getByRole('button', { name: 'Revert' }).click();
    expect(await page.getByTestId('cue-marker').count()).toBe(3);
    expect(await page.getByTestId('cue-save').textContent()).toBe('Saved');
    await page.close();
  });

  it('queues the HLS preset from the detail pane and plays the finished output through VHS', async () => {
    const page = await openDetail();
    await page.getByTestId('queue-hls').click();
    // The job runs on the studio's engine; the pane lists the output when the library registers it.
    await page.getByTestId('outputs').getByText('hls', { exact: true }).first().waitFor({ timeout: 60_000 });
    await page.getByTestId('outputs').getByRole('button', { name: '▶ play' }).last().click();
    await expect.poll(() => page.locator('[data-testid="player"] video').evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/^blob:/);
    await page.locator('.vjs-big-play-button').click();
    await expect.poll(() => page.locator('[data-testid="player"] video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    // The avatar still follows the track over the HLS rendition.
    expect((await canvasPixels(page)).opaque).toBeGreaterThan(500);
    await page.screenshot({ path: screenshotPath('preview-hls') });

    // The face drawn from a library video's frame: the picture takes the face's circle (same box), and the
    // built-in face comes back when switched back.
    const full = await canvasPixels(page);
    await page.getByTestId('face-source').selectOption('library');
    await page.getByTestId('face-video-id').fill(String(videoId));
    await page.getByTestId('face-video-at').fill('1');
    await page.getByTestId('face-apply').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="avatar-canvas"]') as HTMLElement | null)?.dataset.face === 'picture', null, { timeout: 30_000 });
    const pictured = await canvasPixels(page);
    expect(pictured.hash).not.toBe(full.hash);
    expect(pictured.opaque).toBeGreaterThan(full.opaque / 2);
    await page.screenshot({ path: screenshotPath('preview-library-avatar') });
    await callStudio('avatar.setSettings', { source: { kind: 'builtin' } });
    await page.waitForFunction(() => (document.querySelector('[data-testid="avatar-canvas"]') as HTMLElement | null)?.dataset.face === 'drawn', null, { timeout: 30_000 });
    await page.close();
  });
});
