import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { createHost } from '../../electron/host/createHost';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import { screenshotPath } from '../helpers/browser';
import { makeClip } from '../helpers/media';
import { useStudioPage } from '../helpers/studioPage';
import { tempDir } from '../helpers/tempDir';

/**
 * The studio's third pass, in Chromium through `church serve`: every place has an address (Back, Forward and a
 * reload keep it), a double-click anywhere on a card opens the video page, a portrait clip's player keeps its seek
 * bar with sprite previews, the quick pane keeps a portrait poster within the window, and text on coloured fills
 * reaches WCAG AA contrast in both themes.
 */
describe('studio navigation and finish (church serve + Chromium)', () => {
  const media = tempDir('church-nav-media-');
  const ids: Record<string, number> = {};
  const studio = useStudioPage({
    prefix: 'church-e2e-nav-',
    prepare: async (dataDir) => {
      const ffmpeg = resolveBinary('ffmpeg').path!;
      // A phone clip: landscape pixels with a 90° display rotation, shown 720x1280.
      const land = await makeClip(join(media, 'land.tmp.mp4'), { seconds: 6, width: 640, height: 360 });
      const rot = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', land, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', join(media, 'Aa Portrait.mp4')], { timeoutMs: 60_000 });
      expect(rot.code, rot.stderr).toBe(0);
      const filler = await makeClip(join(media, 'filler.tmp.mp4'), { seconds: 1, width: 160, height: 90, audio: false });
      mkdirSync(join(media, 'more'));
      for (let i = 1; i <= 11; i++) copyFileSync(filler, join(media, 'more', `Card ${String(i).padStart(2, '0')}.mp4`));
      const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
      const imported = (await host.dispatch('library.import', { paths: [join(media, 'Aa Portrait.mp4'), join(media, 'more')], assets: true }, { actor: 'cli' })) as Result<ImportSummary>;
      expect(imported.ok && imported.value.imported).toBe(12);
      const all = (await host.dispatch('library.search', { limit: 100 }, { actor: 'cli' })) as Result<VideoPage>;
      for (const v of all.ok ? all.value.items : []) ids[v.title] = v.id;
      await host.close();
    },
  });

  async function openStudio(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await studio.openPage({ viewport });
    await page.getByText('connected (browser)').waitFor({ timeout: 30_000 });
    await page.getByTestId('lib-item').first().waitFor();
    return page;
  }
  const hashOf = (page: Page) => page.evaluate(() => location.hash);

  it('a double-click in the middle of a card in the last column opens the video page; the first click moves nothing', async () => {
    const page = await openStudio();
    const cards = page.getByTestId('lib-item');
    // The rightmost card of the first row: before, the first click opened the pane, the grid went from 4 to 2
    // columns, and the second click landed in the pane.
    const boxes = await cards.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    const firstRow = boxes.filter((b) => Math.abs(b.y - boxes[0]!.y) < 2);
    expect(firstRow.length).toBeGreaterThanOrEqual(3);
    const last = firstRow.length - 1;
    const id = Number(await cards.nth(last).getAttribute('data-id'));
    await cards.nth(last).dblclick();
    await page.getByTestId('video-page').waitFor();
    expect(await hashOf(page)).toBe(`#/library/video/${id}`);
    expect(await page.getByTestId('lib-detail').count()).toBe(0);
    await page.close();
  });

  it('Back, Forward and a reload keep the place: screens, the video page and a settings section', async () => {
    const page = await openStudio();
    const crashes: string[] = [];
    page.on('pageerror', (e) => crashes.push(e.message));
    const id = ids['Card 03']!;
    await page.locator(`[data-testid="lib-item"][data-id="${id}"]`).dblclick();
    await page.getByTestId('video-page').waitFor();
    expect(await hashOf(page)).toBe(`#/library/video/${id}`);

    // Back closes the page (the grid again), Forward reopens the same video.
    await page.goBack();
    await page.getByTestId('video-page').waitFor({ state: 'detached' });
    expect(await hashOf(page)).toBe('#/library');
    await page.goForward();
    await page.getByTestId('video-page').waitFor();
    expect(await page.getByTestId('video-page').locator('h1').textContent()).toBe('Card 03');

    // A reload lands on the same video page, not on the Library.
    await page.reload();
    await page.getByTestId('video-page').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('video-page').locator('h1').textContent()).toBe('Card 03');

    // Screens are steps too.
    await page.getByRole('button', { name: /Jobs/ }).click();
    await page.getByTestId('screen-jobs').waitFor();
    expect(await hashOf(page)).toBe('#/jobs');
    await page.goBack();
    await page.getByTestId('video-page').waitFor();

    // A settings section has an address; a reload keeps it in view.
    await page.getByRole('button', { name: /Settings/ }).click();
    await page.getByTestId('settings-nav-backups').click();
    expect(await hashOf(page)).toBe('#/settings/backups');
    await page.reload();
    await page.getByTestId('settings-nav-backups').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('#settings-backups').evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(120);
    expect(await page.getByTestId('settings-nav-backups').getAttribute('aria-current')).toBe('location');

    // The search keeps only sections whose words match.
    await page.getByTestId('settings-search').fill('restic');
    await expect.poll(() => page.locator('#settings-appearance').isHidden()).toBe(true);
    expect(await page.locator('#settings-backups').isVisible()).toBe(true);
    expect(crashes).toEqual([]);
    await page.close();
  });

  it('the portrait clip keeps its seek bar, with a sprite preview on hover; the quick pane keeps its poster in the window', async () => {
    const page = await openStudio();
    await page.goto(`${studio.serve.url.split('#')[0]}#/library/video/${ids['Aa Portrait']!}`);
    await page.getByTestId('video-page').waitFor({ timeout: 30_000 });
    // video.js shows its controls once playback has started: play, then pause, as an owner would before seeking.
    const video = page.getByTestId('video-page').locator('video');
    await video.evaluate((v: HTMLVideoElement) => new Promise((ok) => (v.readyState >= 2 ? ok(null) : v.addEventListener('loadeddata', () => ok(null), { once: true }))));
    await page.keyboard.press('k');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => !v.paused)).toBe(true);
    await page.keyboard.press('k');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    await page.getByTestId('player-stage').hover();
    const progress = page.getByTestId('video-page').locator('.vjs-progress-control');
    await progress.waitFor({ state: 'visible' });
    const bar = (await progress.boundingBox())!;
    // Before, video.js hid it on the ~315 px wide player.
    expect(bar.width).toBeGreaterThan(150);
    await page.mouse.move(bar.x + bar.width * 0.75, bar.y + bar.height / 2);
    const tile = page.getByTestId('seek-preview');
    await tile.waitFor({ state: 'visible' });
    expect(await tile.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('sprite.jpg');
    // A portrait tile is taller than wide.
    const t = (await tile.boundingBox())!;
    expect(t.height).toBeGreaterThan(t.width);
    await page.screenshot({ path: screenshotPath('video-page-portrait-seek') });

    // The quick pane: the portrait poster fits in the window with the pane's actions below it.
    await page.keyboard.press('Escape');
    await page.getByTestId('video-page').waitFor({ state: 'detached' });
    await page.locator(`[data-testid="lib-item"][data-id="${ids['Aa Portrait']!}"]`).click();
    const pane = page.getByTestId('lib-detail');
    await pane.getByTestId('player-stage').waitFor();
    const stage = (await pane.getByTestId('player-stage').boundingBox())!;
    expect(stage.height).toBeLessThanOrEqual(800 / 2 + 40);
    const openPage = (await pane.getByTestId('open-page').boundingBox())!;
    expect(openPage.y + openPage.height).toBeLessThan(800);
    await page.close();
  });

  it('text on coloured fills reaches WCAG AA (4.5:1) in both themes', async () => {
    const page = await openStudio();
    for (const theme of ['dark', 'light'] as const) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      // The primary button (white on #ff5fb7 was 2.77:1 in the dark theme) and a "done" style badge (2.76:1 in light).
      const ratios = await page.evaluate(() => {
        const probe = (className: string, text: string) => {
          const el = document.createElement(className === 'button' ? 'button' : 'span');
          el.className = className;
          el.textContent = text;
          document.querySelector('.content')!.appendChild(el);
          const s = getComputedStyle(el);
          const out = { fg: s.color, bg: s.backgroundColor };
          el.remove();
          return out;
        };
        // Chromium gives a color-mix() result as `color(srgb r g b / a)` with channels from 0 to 1.
        const rgb = (c: string) => {
          const n = (c.replace(/^color\(srgb/, '').match(/[\d.]+/g) ?? []).map(Number);
          return c.startsWith('color(') ? n.map((v, i) => (i < 3 ? v * 255 : v)) : n;
        };
        const lum = ([r, g, b]: number[]) =>
          [r!, g!, b!].map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i]!, 0);
        // A fill with alpha is laid over the page's panel colour, as it is drawn.
        const over = (fill: number[], base: number[]) => {
          const a = fill[3] ?? 1;
          return [0, 1, 2].map((i) => fill[i]! * a + base[i]! * (1 - a));
        };
        const panel = rgb(getComputedStyle(document.querySelector('.content')!).backgroundColor);
        const base = panel.length >= 3 && (panel[3] ?? 1) > 0 ? panel : rgb(getComputedStyle(document.body).backgroundColor);
        const ratio = (p: { fg: string; bg: string }) => {
          const a = lum(over(rgb(p.fg), base));
          const b = lum(over(rgb(p.bg), base));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        return { button: ratio(probe('button', 'Import')), ok: ratio(probe('badge badge-ok', 'done')), bad: ratio(probe('badge badge-bad', 'failed')) };
      });
      expect(ratios.button, `${theme}: primary button`).toBeGreaterThanOrEqual(4.5);
      expect(ratios.ok, `${theme}: "done" badge`).toBeGreaterThanOrEqual(4.5);
      expect(ratios.bad, `${theme}: "failed" badge`).toBeGreaterThanOrEqual(4.5);
    }
    await page.close();
  });
});
