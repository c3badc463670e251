import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { createHost } from '../../electron/host/createHost';
import { runProcess } from '../../electron/platform/process';
import { resolveBinary } from '../../electron/platform/media';
import { screenshotPath } from '../helpers/browser';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useStudioPage } from '../helpers/studioPage';

/**
 * Issue 26, items 11, 12, 13 and 16 in Chromium through `church serve`: the grid is one tab stop with the arrows
 * inside, a skip link, screen keys that leave the browser's Ctrl+1…8 alone and follow the sidebar, the `?`
 * overlay in a short window, cards (no room for unrated stars, "+N" tags, a heart that shows on a pink poster,
 * sharp portrait scrub frames), and the toolbar at 1280 and 1920.
 */
describe('library keyboard, cards and toolbar', () => {
  let page: Page;
  const media = tempDir('church-kb-media-');
  const ids: Record<string, number> = {};
  const studio = useStudioPage({ prefix: 'church-kb-data-', prepare: (dataDir) => seed(dataDir), timeoutMs: 180_000 });
  // In the order the card shows them (the library keeps tags sorted).
  const TAGS = ['ambient', 'evening', 'meditation', 'processional', 'sleep'];

  async function seed(dataDir: string): Promise<void> {
    const ffmpeg = resolveBinary('ffmpeg').path!;
    // A poster in the accent's own pink: the favourite heart must still show on it.
    const pink = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0xff5fb7:size=320x180:rate=25:duration=2', '-pix_fmt', 'yuv420p', join(media, 'Pink Psalm.mp4')], { timeoutMs: 60_000 });
    expect(pink.code, pink.stderr).toBe(0);
    // A phone clip (portrait pixels), short GOPs so its sprite has several tiles.
    await makeClip(join(media, 'Portrait Vigil.mp4'), { seconds: 4, width: 360, height: 640, extra: ['-g', '10'] });
    const filler = await makeClip(join(media, 'filler.tmp.mp4'), { seconds: 1, width: 160, height: 90, audio: false });
    mkdirSync(join(media, 'more'));
    for (let i = 1; i <= 10; i++) copyFileSync(filler, join(media, 'more', `Filler ${String(i).padStart(2, '0')}.mp4`));
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    const imported = (await host.dispatch('library.import', { paths: [join(media, 'Pink Psalm.mp4'), join(media, 'Portrait Vigil.mp4'), join(media, 'more')], assets: true }, { actor: 'cli' })) as Result<ImportSummary>;
    expect(imported.ok && imported.value.imported).toBe(12);
    const all = (await host.dispatch('library.search', { limit: 100 }, { actor: 'cli' })) as Result<VideoPage>;
    for (const v of all.ok ? all.value.items : []) ids[v.title] = v.id;
    await host.dispatch('library.update', { id: ids['Pink Psalm']!, patch: { favourite: true, rating: 4, tags: TAGS } }, { actor: 'cli' });
    await host.dispatch('library.update', { id: ids['Filler 01']!, patch: { tags: ['dawn'] } }, { actor: 'cli' });
    await host.close();
  }

  beforeAll(async () => {
    page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    await page.getByTestId('sort').selectOption('title');
    if ((await page.getByRole('button', { name: 'Descending' }).count()) > 0) await page.getByRole('button', { name: 'Descending' }).click();
    await page.getByRole('button', { name: 'Ascending' }).waitFor();
    await page.locator('.lib-card', { has: page.locator('.lib-title', { hasText: 'Filler 01' }) }).waitFor();
  });

  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout });
  const card = (title: string) => page.locator('.lib-card', { has: page.locator('.lib-title', { hasText: title }) });
  const active = () => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { testId: el?.dataset.testid ?? '', index: el?.dataset.index ?? '', id: el?.id ?? '', text: el?.textContent?.trim().slice(0, 40) ?? '' };
  });

  it('the grid is one tab stop; arrows, Home/End, Space and Enter work on the focused card, which shows its focus', async () => {
    // Every element of the results Tab can reach (tabindex ≥ 0, enabled): one, however many cards.
    const stops = () => page.getByTestId('lib-results').evaluate((root) =>
      [root, ...root.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter((el) => (el as HTMLElement).tabIndex >= 0 && !(el as HTMLButtonElement).disabled).length,
    );
    expect(await page.getByTestId('lib-item').count()).toBeGreaterThanOrEqual(12);
    expect(await stops()).toBe(1);

    // Tab from the search field reaches the first card.
    await page.locator('[data-search]').focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await active()).testId === 'lib-item';
    }
    expect(reached).toBe(true);
    expect((await active()).index).toBe('0');
    const first = page.locator('[data-testid="lib-item"][data-index="0"]');
    expect(await first.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');

    await page.keyboard.press('ArrowRight');
    await eventually(async () => (await active()).index).toBe('1');
    await page.keyboard.press('End');
    await eventually(async () => (await active()).index).toBe('11');
    await page.keyboard.press('Home');
    await eventually(async () => (await active()).index).toBe('0');
    // The stop moved with the cursor: still exactly one.
    expect(await stops()).toBe(1);

    await page.keyboard.press('Space');
    await eventually(() => first.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Space');
    await eventually(() => first.getAttribute('aria-selected')).toBe('false');

    // One Tab leaves the grid; Shift+Tab comes back to the same card.
    await page.keyboard.press('ArrowRight');
    await eventually(async () => (await active()).index).toBe('1');
    await page.keyboard.press('Tab');
    expect((await active()).testId).not.toBe('lib-item');
    await page.keyboard.press('Shift+Tab');
    await eventually(async () => (await active()).index).toBe('1');

    await page.keyboard.press('Enter');
    await page.getByTestId('video-page').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('video-page').waitFor({ state: 'detached' });
  });

  it('a skip link is the first tab stop and moves focus to the screen', async () => {
    await page.reload();
    await page.getByTestId('lib-item').first().waitFor();
    const hash = await page.evaluate(() => location.hash);
    await page.keyboard.press('Tab');
    expect(await active()).toMatchObject({ testId: 'skip-link', text: 'Skip to content' });
    expect(await page.getByTestId('skip-link').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect((await active()).id).toBe('content');
    expect(await page.evaluate(() => location.hash)).toBe(hash);
  });

  it('in the browser the screen keys are Alt+Shift+1…8 (Ctrl+1…8 stay the browser’s) and follow the sidebar order', async () => {
    const labels = await page.locator('nav.sidebar .nav-item[aria-keyshortcuts]').evaluateAll((els) => els.map((el) => [el.textContent?.trim() ?? '', el.getAttribute('aria-keyshortcuts') ?? '']));
    expect(labels.map(([, k]) => k)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8'].map((d) => `Alt+Shift+${d}`));
    expect(labels.map(([l]) => l).join(' ')).toMatch(/Library.*Jobs.*Monitor.*Subscribers.*Lab.*Kill switch.*Settings.*System/);

    await page.locator('body').click({ position: { x: 640, y: 5 } });
    await page.keyboard.press('Control+2');
    expect(await page.getByTestId('screen-library').count()).toBe(1);
    await page.keyboard.press('Alt+Shift+Digit2');
    await page.getByTestId('screen-jobs').waitFor();
    await page.keyboard.press('Alt+Shift+Digit5');
    await page.getByTestId('screen-lab').waitFor();
    await page.keyboard.press('Alt+Shift+Digit1');
    await page.getByTestId('screen-library').waitFor();
  });

  it('the ? overlay fits in an 800 px window, scrolls inside, and starts with this screen’s keys', async () => {
    await page.locator('body').click({ position: { x: 640, y: 5 } });
    await page.keyboard.press('?');
    const overlay = page.getByTestId('shortcuts-overlay');
    await overlay.waitFor();
    const panel = overlay.getByRole('dialog');
    const box = (await panel.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    const close = (await panel.getByRole('button', { name: 'Close' }).boundingBox())!;
    expect(close.y).toBeGreaterThanOrEqual(0);
    expect(close.y + close.height).toBeLessThanOrEqual(800);
    const body = page.getByTestId('shortcut-groups');
    expect(await body.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    expect(await body.locator('h3').first().textContent()).toBe('Library');
    expect(await panel.textContent()).toContain('Alt+Shift+1');
    await page.screenshot({ path: screenshotPath('shortcuts-overlay-800') });
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'detached' });

    await page.keyboard.press('Alt+Shift+Digit3');
    await page.getByTestId('screen-monitor').waitFor();
    await page.keyboard.press('?');
    await overlay.waitFor();
    expect(await panel.locator('h2').textContent()).toContain('Monitor');
    expect(await page.getByTestId('shortcut-groups').locator('h3').first().textContent()).toBe('Anywhere');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+Shift+Digit1');
    await page.getByTestId('screen-library').waitFor();
  });

  it('cards: unrated stars take no room, extra tags become "+N", the heart shows on a pink poster', async () => {
    await card('Pink Psalm').screenshot({ path: screenshotPath('card-pink-heart') });
    // Unrated: the tag line starts where the meta line starts (no invisible stars before it).
    const filler = card('Filler 01');
    const meta = (await filler.locator('.lib-meta').boundingBox())!;
    const tags = (await filler.getByTestId('item-tags').boundingBox())!;
    expect(Math.abs(tags.x - meta.x)).toBeLessThanOrEqual(1);

    // Five tags on a ~230 px card: whole tags, then "+N" for the rest.
    const pink = card('Pink Psalm');
    const shown = await pink.locator('[data-testid="item-tags"] > .lib-tag:not(.lib-tag-more)').evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? '', cut: el.scrollWidth > el.clientWidth + 1, right: el.getBoundingClientRect().right })));
    const more = pink.getByTestId('tags-more');
    expect(await more.count()).toBe(1);
    const hidden = Number((await more.textContent())!.slice(1));
    expect(shown.length + hidden).toBe(TAGS.length);
    expect(shown.map((t) => t.text)).toEqual(TAGS.slice(0, shown.length));
    expect(shown.filter((t) => t.cut)).toEqual([]);
    const strip = (await pink.getByTestId('item-tags').boundingBox())!;
    const moreBox = (await more.boundingBox())!;
    expect(moreBox.x + moreBox.width).toBeLessThanOrEqual(strip.x + strip.width + 0.5);

    // The heart against what is behind it (its own backdrop over the pink poster): at least 3:1 (WCAG non-text).
    const contrast = await pink.getByTestId('card-fav').evaluate((el) => {
      const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const [r, g, b] = rgba(getComputedStyle(el).color);
      const [br, bg, bb, ba = 1] = rgba(getComputedStyle(el).backgroundColor);
      const poster = [0xff, 0x5f, 0xb7];
      const behind = [br!, bg!, bb!].map((c, i) => c * ba + poster[i]! * (1 - ba));
      const lum = (c: number[]) => {
        const [R, G, B] = c.map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
      };
      const [hi, lo] = [lum([r!, g!, b!]), lum(behind)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    });
    expect(contrast).toBeGreaterThanOrEqual(3);
  });

  it('hover-scrub frames of a portrait clip are drawn whole and near their own size, not magnified', async () => {
    const thumb = card('Portrait Vigil').getByTestId('thumb');
    const box = (await thumb.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    const tile = thumb.getByTestId('thumb-scrub');
    await tile.waitFor({ timeout: 10_000 });
    const scale = Number(await tile.getAttribute('data-scale'));
    // A 90×160 tile in a ~230×130 box: scaled to fit its height (< 1×), where it used to be stretched ~2.5×.
    expect(scale).toBeGreaterThan(0);
    expect(scale).toBeLessThanOrEqual(1.05);
    const t = (await tile.boundingBox())!;
    expect(t.height).toBeLessThanOrEqual(box.height + 0.5);
    expect(t.width).toBeLessThan(box.width);
    await page.screenshot({ path: screenshotPath('card-portrait-scrub'), clip: { x: box.x - 4, y: box.y - 4, width: box.width + 8, height: box.height + 8 } });
    await page.mouse.move(0, 0);
  });

  for (const size of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    it(`the toolbar keeps one line at ${size.width}, "All items" among the filters, Import at the right edge`, async () => {
      await page.setViewportSize(size);
      await page.getByTestId('screen-library').waitFor();
      const head = page.locator('.lib-head');
      await page.screenshot({ path: screenshotPath(`library-toolbar-${size.width}`), clip: { x: 0, y: 0, width: size.width, height: 160 } });
      const tops = await head.evaluate((el) => [...el.children].map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)));
      expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(4);
      // One line: every filter's middle within a few pixels of the others' (controls differ in height by a pixel or two).
      const filterMiddles = await page.getByTestId('lib-filters').evaluate((el) => [...el.children].map((c) => c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));
      expect(Math.max(...filterMiddles) - Math.min(...filterMiddles)).toBeLessThanOrEqual(4);
      const headBox = (await head.boundingBox())!;
      const importBox = (await page.getByTestId('import-open').boundingBox())!;
      expect(Math.abs(importBox.x + importBox.width - (headBox.x + headBox.width))).toBeLessThanOrEqual(1);
      // The header spans the screen, as other screens' headers do (their actions sit at its right end).
      const screen = (await page.getByTestId('screen-library').boundingBox())!;
      expect(screen.x + screen.width - (importBox.x + importBox.width)).toBeLessThanOrEqual(40);
    });
  }
});
