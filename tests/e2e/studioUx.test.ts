import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { Job } from '../../shared/dto/jobs';
import type { ImportSummary, VideoDetail, VideoPage, VideoSummary } from '../../shared/dto/library';
import { createHost } from '../../electron/host/createHost';
import type { Result } from '../../shared/errors';
import { runProcess } from '../../electron/platform/process';
import { resolveBinary } from '../../electron/platform/media';
import { screenshotPath } from '../helpers/browser';
import { church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useStudioPage } from '../helpers/studioPage';

/**
 * The studio's second UX pass in Chromium through `church serve` (real ffmpeg, real library, the real CLI
 * attached to the same studio): open vs select, rating and favourite from the card, the video page and the
 * CLI, the video page's keys and Back, a rotated phone clip through the ladder played at its portrait shape,
 * the avatar overlay only where there are cues, and every screen measured for overflow at two window sizes.
 */
describe('studio UX: video page, curation, portrait video, layout', () => {
  let page: Page;
  const media = tempDir('church-ux-media-');
  const ids: Record<string, number> = {};
  const studio = useStudioPage({ prefix: 'church-ux-data-', prepare: (dataDir) => seed(dataDir), timeoutMs: 180_000 });
  const dataDir = studio.dataDir;

  async function seed(dataDir: string): Promise<void> {
    const ffmpeg = resolveBinary('ffmpeg').path!;
    await makeClip(join(media, 'Dawn Hymn.mp4'), { seconds: 12, width: 320, height: 180, fps: 25, extra: ['-g', '25'] });
    // A phone clip: landscape pixels with a 90° display rotation (a display matrix when stream-copied).
    // The case: 720x1280 as shown, which used to give a "1080p" rung smaller than itself.
    const land = await makeClip(join(media, 'land.tmp.mp4'), { seconds: 2, width: 1280, height: 720 });
    const rot = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', land, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', join(media, 'Phone Vesper.mp4')], { timeoutMs: 60_000 });
    expect(rot.code, rot.stderr).toBe(0);
    // Enough cards for the grid to scroll, so Back has a scroll position to restore.
    const filler = await makeClip(join(media, 'filler.tmp.mp4'), { seconds: 1, width: 160, height: 90, audio: false });
    mkdirSync(join(media, 'more'));
    for (let i = 1; i <= 24; i++) copyFileSync(filler, join(media, 'more', `Filler ${String(i).padStart(2, '0')}.mp4`));
    // Seed the library in-process before the studio starts on the same data dir.
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    const imported = (await host.dispatch('library.import', { paths: [join(media, 'Dawn Hymn.mp4'), join(media, 'Phone Vesper.mp4'), join(media, 'more')], assets: true }, { actor: 'cli' })) as Result<ImportSummary>;
    expect(imported.ok && imported.value.imported).toBe(26);
    const all = (await host.dispatch('library.search', { limit: 100 }, { actor: 'cli' })) as Result<VideoPage>;
    for (const v of all.ok ? all.value.items : []) ids[v.title] = v.id;
    await host.dispatch('avatar.saveTrack', { videoId: ids['Dawn Hymn']!, cues: [{ id: 'hello', at: 0, expression: 'happy', say: 'Welcome' }] }, { actor: 'cli' });
    await host.close();
  }

  beforeAll(async () => {
    page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    // By title, A→Z: Dawn Hymn, Filler 01…24, Phone Vesper.
    await page.getByTestId('sort').selectOption('title');
    if ((await page.getByRole('button', { name: 'Descending' }).count()) > 0) await page.getByRole('button', { name: 'Descending' }).click();
    await page.getByRole('button', { name: 'Ascending' }).waitFor();
  });

  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout });
  const card = (title: string) => page.locator('.lib-card', { has: page.locator('.lib-title', { hasText: title }) });
  const cli = async <T,>(args: string[]): Promise<T> => {
    const r = await church([...args, '--json', '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  const videoTime = () => page.locator('[data-testid="video-page"] video').evaluate((v: HTMLVideoElement) => v.currentTime);
  const videoPaused = () => page.locator('[data-testid="video-page"] video').evaluate((v: HTMLVideoElement) => v.paused);

  async function search(text: string): Promise<void> {
    await page.getByTestId('screen-library').waitFor();
    const field = page.locator('[data-search]');
    await field.fill(text);
    await page.mouse.click(640, 5); // leave the field: letter keys belong to the grid again
  }

  it('a click opens; the check mark, Ctrl-click and Shift-click select', async () => {
    await search('');
    await card('Dawn Hymn').click({ position: { x: 60, y: 60 } });
    await page.getByTestId('lib-detail').waitFor();
    expect(await page.getByTestId('selection-bar').count()).toBe(0);
    await card('Filler 01').hover();
    await card('Filler 01').getByTestId('card-check').click();
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    // The pane still shows what was opened: selecting did not open anything.
    expect(await page.locator('.pv-head h2').textContent()).toBe('Dawn Hymn');
    await card('Filler 02').click({ modifiers: ['Control'], position: { x: 60, y: 60 } });
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('2 selected');
    // Unrated and mixed: empty stars in the selection bar, not five gold ones.
    expect(await page.getByTestId('bulk-rating').getAttribute('data-rating')).toBe('0');
    expect(await page.locator('[data-testid="bulk-rating"] .rating-star.on').count()).toBe(0);
    await page.keyboard.press('Escape'); // closes the pane
    await page.keyboard.press('Escape'); // clears the selection
    await eventually(() => page.getByTestId('selection-bar').count()).toBe(0);
  });

  it('rating and favourite set on the card, the video page and the CLI are seen in the others', async () => {
    const id = ids['Dawn Hymn']!;
    await card('Dawn Hymn').hover();
    await card('Dawn Hymn').getByTestId('card-rating').locator('button').nth(3).click();
    await card('Dawn Hymn').getByTestId('card-fav').click();
    await eventually(async () => (await cli<VideoDetail>(['show', String(id)])).rating).toBe(4);
    expect((await cli<VideoSummary[]>(['list', '--favourite'])).map((v) => v.id)).toEqual([id]);

    // The CLI changes it; the card follows.
    await cli(['rate', String(id), '2']);
    await cli(['fav', String(id), '--off']);
    await eventually(() => card('Dawn Hymn').getByTestId('card-rating').getAttribute('data-rating')).toBe('2');
    await eventually(() => card('Dawn Hymn').getByTestId('card-fav').getAttribute('aria-pressed')).toBe('false');

    // The video page shows the same and changes it; the CLI and the card see it.
    await card('Dawn Hymn').dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    await eventually(() => page.getByTestId('detail-rating').getAttribute('data-rating')).toBe('2');
    await page.getByTestId('detail-rate-5').click();
    await page.getByTestId('detail-fav').click();
    await eventually(async () => {
      const v = await cli<VideoDetail>(['show', String(id)]);
      return [v.rating, v.favourite];
    }).toEqual([5, true]);
    await page.getByTestId('page-back').click();
    await eventually(() => card('Dawn Hymn').getByTestId('card-rating').getAttribute('data-rating')).toBe('5');
    expect(await card('Dawn Hymn').getByTestId('card-fav').getAttribute('aria-pressed')).toBe('true');
    // The list view has them too.
    await page.getByTestId('view-list').click();
    const row = page.locator('.lib-row', { has: page.locator('.lib-title', { hasText: 'Dawn Hymn' }) });
    await eventually(() => row.getByTestId('row-rating').getAttribute('data-rating')).toBe('5');
    await row.getByTestId('row-fav').click();
    await eventually(async () => (await cli<VideoDetail>(['show', String(id)])).favourite).toBe(false);
    await page.getByTestId('view-grid').click();
  }, 300_000);

  it('the video page: Space/K, J/L, frame steps, F; Back restores the scroll and the selection', async () => {
    await search('');
    const scroller = page.getByTestId('lib-results');
    await card('Filler 03').click({ modifiers: ['Control'], position: { x: 60, y: 60 } });
    await scroller.evaluate((el) => el.scrollTo({ top: 400 }));
    await eventually(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(300);
    const scrolled = await scroller.evaluate((el) => el.scrollTop);
    // Enter opens the current card's page (Filler 03, now scrolled out of view) without moving the grid.
    await page.keyboard.press('Enter');
    await page.getByTestId('video-page').waitFor();
    expect(await page.locator('.vp-head h1').textContent()).toBe('Filler 03');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('video-page').count()).toBe(0);
    await eventually(() => scroller.evaluate((el) => el.scrollTop)).toBe(scrolled);
    expect(await page.getByTestId('selection-count').textContent()).toBe('1 selected');

    await search('Dawn');
    await card('Dawn Hymn').dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    const video = page.locator('[data-testid="video-page"] video');
    await eventually(() => video.evaluate((v: HTMLVideoElement) => v.readyState), 30_000).toBeGreaterThanOrEqual(1);
    await page.locator('.vp-head h1').click(); // focus on the page, not in a field
    await page.keyboard.press('k');
    await eventually(videoPaused).toBe(false);
    await page.keyboard.press('k');
    await eventually(videoPaused).toBe(true);
    await page.keyboard.press('l');
    await eventually(videoTime).toBeGreaterThanOrEqual(10);
    await page.keyboard.press('j');
    await eventually(videoTime).toBeLessThan(2);
    const before = await videoTime();
    await page.keyboard.press('ArrowRight');
    await eventually(async () => Math.round(((await videoTime()) - before) * 25) + 0).toBe(1);
    await page.keyboard.press('ArrowLeft');
    await eventually(async () => Math.round(((await videoTime()) - before) * 25) + 0).toBe(0);
    await page.keyboard.press(' ');
    await eventually(videoPaused).toBe(false);
    await page.keyboard.press(' ');
    await eventually(videoPaused).toBe(true);
    await page.keyboard.press('f');
    await eventually(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await page.keyboard.press('f');
    await eventually(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    // This video has a cue track: the avatar shows. Facts are in words.
    await page.getByTestId('avatar-canvas').waitFor();
    expect(await page.getByTestId('fact-container').textContent()).toBe('MP4');
    expect(await page.getByTestId('fact-video').textContent()).toBe('H.264 Constrained Baseline, 8-bit'); // x264 ultrafast's profile
    await page.screenshot({ path: screenshotPath('video-page') });
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('video-page').count()).toBe(0);
  }, 120_000);

  it('collections on the video page: a new one by name, an existing one, removal; the CLI sees each', async () => {
    const id = ids['Dawn Hymn']!;
    const other = ids['Filler 01']!;
    await search('Dawn');
    await card('Dawn Hymn').dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    const field = page.getByRole('combobox', { name: 'Add to collection' }) // a field with suggestions;
    const chips = page.getByTestId('detail-collection');
    // A name no collection has creates it and adds the video, from the keyboard alone.
    await field.focus();
    await page.keyboard.type('Evening Prayers');
    await page.keyboard.press('Enter');
    await eventually(() => chips.allTextContents()).toEqual(['Evening Prayers×']);
    const shown = await cli<VideoDetail>(['show', String(id)]);
    expect(shown.collections.map((c) => c.name)).toEqual(['Evening Prayers']);
    const evening = shown.collections[0]!.id;
    expect((await cli<VideoSummary[]>(['list', '--collection', String(evening)])).map((v) => v.id)).toEqual([id]);

    // A collection made on another video's page is offered, and joined by name (any case), not duplicated.
    await page.getByTestId('page-back').click();
    await search('Filler 01');
    await card('Filler 01').dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    await field.fill('Morning');
    await field.press('Enter');
    await eventually(() => chips.allTextContents()).toEqual(['Morning×']);
    const morning = (await cli<VideoDetail>(['show', String(other)])).collections[0]!.id;
    await page.getByTestId('page-back').click();
    await search('Dawn');
    await card('Dawn Hymn').dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    await eventually(() => page.locator('[data-testid="detail-collections"] datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['Morning']);
    await field.fill('morning');
    await field.press('Enter');
    await eventually(() => chips.allTextContents()).toEqual(['Evening Prayers×', 'Morning×']);
    expect((await cli<VideoSummary[]>(['list', '--collection', String(morning)])).map((v) => v.id).sort()).toEqual([id, other].sort());

    // × (focused, pressed with Enter) takes the video out; the collection and its other member stay.
    await page.getByRole('button', { name: 'Remove from collection Morning' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => chips.allTextContents()).toEqual(['Evening Prayers×']);
    expect((await cli<VideoSummary[]>(['list', '--collection', String(morning)])).map((v) => v.id)).toEqual([other]);
    await page.getByRole('button', { name: 'Remove from collection Evening Prayers' }).click();
    await eventually(() => chips.count()).toBe(0);
    expect((await cli<VideoDetail>(['show', String(id)])).collections).toEqual([]);
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('video-page').count()).toBe(0);
  }, 120_000);

  it('a rotated phone clip goes through the ladder by its short side and plays at its portrait shape', async () => {
    const id = ids['Phone Vesper']!;
    const job = await cli<Job>(['transcode', String(id), '--preset', 'ladder', '--param', 'x264Preset=ultrafast', '--param', 'segmentSec=1', '--wait']);
    expect(job.status).toBe('done');
    // Rungs by the short side: 720p at the source's own size, 480p portrait; no "1080p" smaller than the source.
    expect(job.plan).toMatch(/720p portrait \(720×1280\).*480p portrait \(480×852\)/);
    expect(job.plan).toMatch(/skipped above the source's 720p: 1080p/);
    await search('Phone');
    await card('Phone Vesper').dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    expect(await page.getByTestId('fact-rotation').textContent()).toMatch(/^(90|270)°/); // the sign convention is the probe's
    // No cue track and no agent sending cues: no avatar over this one.
    expect(await page.getByTestId('video-detail').getAttribute('data-avatar')).toBe('off');
    const outputs = page.getByTestId('outputs');
    // The outputs list names the ladder's renditions by what they are (from the master playlist's RESOLUTION=).
    await eventually(() => outputs.getByTestId('output-renditions').textContent()).toMatch(/720p portrait \(720×1280\) · 480p portrait \(480×852\)/);
    await outputs.locator('li', { hasText: 'ladder' }).getByRole('button', { name: /play/ }).click();
    const video = page.locator('[data-testid="video-page"] video');
    // Whichever rendition the player picks, it is portrait at the source's shape (9:16).
    await eventually(() => video.evaluate((v: HTMLVideoElement) => (v.videoWidth ? Math.round((v.videoHeight / v.videoWidth) * 100) : 0)), 30_000).toBe(178);
    const box = (await page.getByTestId('player-stage').boundingBox())!;
    expect(box.height).toBeGreaterThan(box.width * 1.5);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    await page.screenshot({ path: screenshotPath('video-page-portrait') });
    await page.keyboard.press('Escape');
    await search('');
  }, 180_000);

  it('nothing overflows its card on any screen at 1280×800 and 1920×1080', async () => {
    const screens = ['1', '2', '3', '4', '5', '6', '7'];
    const problems: string[] = [];
    for (const size of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      for (const key of screens) {
        await page.keyboard.press(`Control+${key}`);
        await page.locator('main.content').waitFor();
        // Let the screen load its data (charts, tables) before measuring.
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await eventually(() => page.locator('main.content .empty:has-text("Checking"), main.content .empty:has-text("Reading the sensors")').count()).toBe(0);
        const found = await page.evaluate(() => {
          const out: string[] = [];
          const clips = (el: Element, stop: Element) => {
            for (let a = el.parentElement; a && a !== stop; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
            return false;
          };
          for (const c of document.querySelectorAll('main.content .card, main.content .lib-card, main.content .pv-detail')) {
            const box = c.getBoundingClientRect();
            for (const d of c.querySelectorAll('*')) {
              const r = d.getBoundingClientRect();
              if (r.width === 0 || r.height === 0 || clips(d, c)) continue;
              if (r.right > box.right + 1 || r.left < box.left - 1) out.push(`${d.tagName.toLowerCase()}.${[...d.classList].join('.')} "${(d.textContent ?? '').slice(0, 30)}" ${Math.round(r.right - box.right)}px past ${[...c.classList].join('.')}`);
            }
          }
          return out;
        });
        problems.push(...found.map((f) => `${size.width}×${size.height} screen ${key}: ${f}`));
        if (size.width === 1280) await page.screenshot({ path: screenshotPath(`ux-screen-${key}`) });
      }
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
