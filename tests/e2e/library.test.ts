import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { church } from '../helpers/cli';
import { waitFor } from '../helpers/waitFor';
import { makeClip } from '../helpers/media';
import { useStudioPage } from '../helpers/studioPage';
import { tempDir } from '../helpers/tempDir';

/**
 * The Library screen as the owner uses it, in Chromium through `church serve` on a temp data dir with real
 * ffprobe/ffmpeg: empty state, import by the path field, thumbnails, search, filters, multi-select with a
 * bulk tag, keyboard, list view, hover scrubbing, and an import cancelled from its progress bar.
 */
describe('library screen', () => {
  let page: Page;
  const media = tempDir('church-lib-media-');
  const clips = join(media, 'clips');
  const gatedFfprobe = join(media, 'gated-ffprobe');
  const importGate = join(media, 'import-gate');
  const consoleErrors: string[] = [];
  const studio = useStudioPage({
    prefix: 'church-lib-data-',
    env: () => ({ FFPROBE_PATH: gatedFfprobe }),
    prepare: async () => {
      mkdirSync(join(clips, 'nested', 'deeper'), { recursive: true });
      await Promise.all([
        // Short GOPs: the scrub sprite is cut from keyframes, so this one gets several tiles.
        makeClip(join(clips, 'Velvet Garden.mp4'), { seconds: 3, extra: ['-g', '10'] }),
        makeClip(join(clips, 'Amber Tide.mp4'), { seconds: 1, width: 1280, height: 720 }),
        makeClip(join(clips, 'nested', 'Quiet Orbit.mp4'), { seconds: 1, audio: false }),
        makeClip(join(clips, 'nested', 'deeper', 'Lumen Chapel.mp4'), { seconds: 1, width: 640, height: 360 }),
      ]);
      // Not a video: the import lists it with a reason and goes on.
      writeFileSync(join(clips, 'notes.mp4'), 'this is a text file named like a video\n');
      // The cancel test needs an import still running when Cancel is clicked, however fast the machine: ffprobe of
      // anything in many/ (Matroska, so the in-process header reader hands it to ffprobe) waits for a gate file.
      writeFileSync(gatedFfprobe, `#!/bin/sh\nfor a in "$@"; do case "$a" in */many/*) while [ ! -e '${importGate}' ]; do sleep 0.05; done ;; esac; done\nexec ffprobe "$@"\n`);
      chmodSync(gatedFfprobe, 0o755);
    },
  });
  const dataDir = studio.dataDir;

  beforeAll(async () => {
    page = await studio.openPage({
      viewport: { width: 1360, height: 860 },
      connected: true,
      beforeLoad: (p) =>
        p.on('console', (m) => {
          // A poster that is not generated yet answers 404 while the grid shows its placeholder.
          if (m.type() === 'error' && !/404/.test(m.text())) consoleErrors.push(m.text());
        }),
    });
  });

  // The machine is shared and busy: give UI assertions time, as a person waiting for the screen would.
  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout });
  const items = () => page.getByTestId('lib-item');
  const titles = async () => (await page.locator('[data-testid="lib-item"] .lib-title').allTextContents()).sort();
  const toastText = async () => (await page.getByTestId('toast').allTextContents()).join('\n');

  it('explains the next step when the library is empty, and turns a bad path into a readable toast', async () => {
    const empty = page.getByTestId('lib-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toMatch(/library is empty/i);
    expect(await empty.textContent()).toMatch(/drop video files or folders/i);
    await page.screenshot({ path: screenshotPath('library-empty') });

    await page.getByTestId('import-path').fill('clips/relative');
    await page.getByTestId('import-submit').click();
    await eventually(toastText).toMatch(/Folder or file to import: enter the full path of a folder or file, like \/home\/you\/Videos/);
    const text = await toastText();
    expect(text).not.toMatch(/\n\s+at |ZodError|Error:/);
  });

  it('imports a generated folder through the path field and shows thumbnails with badges', async () => {
    await page.getByTestId('import-path').fill(clips);
    await page.getByTestId('import-submit').click();
    await eventually(() => items().count(), 60_000).toBe(4);
    expect(await titles()).toEqual(['Amber Tide', 'Lumen Chapel', 'Quiet Orbit', 'Velvet Garden']);
    await eventually(toastText, 60_000).toMatch(/4 imported.*1 could not be used/);
    expect(await page.getByTestId('lib-count').textContent()).toBe('4 items');

    // Posters arrive through the media protocol by id and decode.
    await eventually(() => page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>('.lib-card img')).filter((i) => i.complete && i.naturalWidth > 0).length), 30_000).toBe(4);
    const amber = page.locator('[data-testid="lib-item"]', { hasText: 'Amber Tide' });
    expect(await amber.textContent()).toContain('720p');
    expect(await amber.textContent()).toContain('0:01');
    expect(await page.locator('[data-testid="lib-item"]', { hasText: 'Velvet Garden' }).textContent()).toContain('0:03');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('library-grid') });
    const themeNow = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await themeNow();
    await page.getByTestId('theme-toggle').click();
    await eventually(themeNow).not.toBe(before);
    // Colours ease between themes: the screenshot shows where they end, not a frame of the transition.
    await page.screenshot({ path: screenshotPath('library-grid-toggled-theme'), animations: 'disabled' });
    await page.getByTestId('theme-toggle').click();
    await eventually(themeNow).toBe(before);
  });

  it('scrubs through the sprite sheet on hover', async () => {
    const thumb = page.locator('[data-testid="lib-item"]', { hasText: 'Velvet Garden' }).getByTestId('thumb');
    const box = (await thumb.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    const scrub = thumb.getByTestId('thumb-scrub');
    await scrub.waitFor({ timeout: 10_000 });
    const first = await scrub.getAttribute('data-tile');
    // Media URLs are signed: /media/~<expiry>.<signature>/sprite/<id>/sprite.jpg
    expect(await scrub.evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/\/media\/~[^/]+\/sprite\//);
    await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2);
    await eventually(() => scrub.getAttribute('data-tile')).not.toBe(first);
    await page.screenshot({ path: screenshotPath('library-scrub'), clip: { x: box.x - 10, y: box.y - 10, width: box.width + 20, height: box.height + 70 } });
    await page.mouse.move(0, 0);
  });

  it('searches as you type and filters', async () => {
    const search = page.getByTestId('lib-search');
    await search.click();
    await page.keyboard.type('velv');
    await eventually(titles).toEqual(['Velvet Garden']);
    // Tags, folders and notes are searched too; a miss explains itself.
    await search.fill('nothing-like-this');
    await page.getByTestId('lib-no-matches').waitFor();
    expect(await page.getByTestId('lib-no-matches').textContent()).toContain('Nothing matches');
    await page.screenshot({ path: screenshotPath('library-no-matches') });
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await eventually(() => items().count()).toBe(4);

    await page.getByTestId('filter-resolution').selectOption({ label: '720p and up' });
    await eventually(titles).toEqual(['Amber Tide']);
    await page.getByTestId('filter-clear').click();
    await eventually(() => items().count()).toBe(4);

    await page.getByTestId('filter-show').selectOption('duplicate');
    await page.getByTestId('lib-no-matches').waitFor();
    await page.getByTestId('filter-show').selectOption('');
    await page.getByTestId('sort').selectOption('title');
    await page.getByRole('button', { name: 'Descending' }).click();
    await eventually(() => page.locator('[data-testid="lib-item"] .lib-title').allTextContents()).toEqual(['Amber Tide', 'Lumen Chapel', 'Quiet Orbit', 'Velvet Garden']);
  });

  it('multi-selects with click, Ctrl-click and Shift-click, and tags the selection in bulk', async () => {
    const card = (title: string) => page.locator('[data-testid="lib-item"]', { hasText: title });
    await card('Amber Tide').click({ position: { x: 20, y: 20 } });
    await card('Lumen Chapel').click({ modifiers: ['Control'], position: { x: 20, y: 20 } });
    await card('Velvet Garden').click({ modifiers: ['Shift'], position: { x: 20, y: 20 } });
    // Range from the last Ctrl-clicked card (Lumen Chapel) to Velvet Garden.
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('3 selected');
    expect(await card('Amber Tide').getAttribute('aria-selected')).toBe('false');

    await page.getByTestId('bulk-tag-input').fill('ritual, night');
    await page.getByTestId('bulk-tag-add').click();
    await eventually(toastText).toMatch(/3 videos tagged/);
    await eventually(() => card('Quiet Orbit').textContent()).toContain('ritual');
    await page.getByTestId('bulk-rate-4').click();
    await eventually(toastText).toMatch(/3 videos rated 4★/);
    await page.screenshot({ path: screenshotPath('library-selection') });

    // The tag filter lists the new tag with its count and narrows the grid to it.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('selection-bar').count()).toBe(0);
    await eventually(() => page.getByTestId('filter-tag').locator('option').allTextContents()).toContain('ritual (3)');
    await page.getByTestId('filter-tag').selectOption('ritual');
    await eventually(titles).toEqual(['Lumen Chapel', 'Quiet Orbit', 'Velvet Garden']);
    await page.getByTestId('filter-tag-chip').getByRole('button', { name: 'Stop filtering by tag ritual' }).click();
    await eventually(() => items().count()).toBe(4);
  });

  it('queues the selection with a preset through the jobs contract', async () => {
    const card = (title: string) => page.locator('[data-testid="lib-item"]', { hasText: title });
    await card('Quiet Orbit').click({ modifiers: ['Control'], position: { x: 20, y: 20 } });
    await card('Lumen Chapel').click({ modifiers: ['Control'], position: { x: 20, y: 20 } });
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('2 selected');
    await eventually(() => page.getByTestId('bulk-preset').locator('option').allTextContents()).toContain('web');
    expect(await page.getByTestId('bulk-preset').inputValue()).toBe('web');
    // The web preset can be split into chunks: the bar offers the Jobs form's control. A length out of range keeps
    // Queue off and says why; 5 s is sent with each job.
    const bar = page.getByTestId('selection-bar');
    expect(await bar.getByTestId('job-chunk-mode').inputValue()).toBe('auto');
    await bar.getByTestId('job-chunk-mode').selectOption('seconds');
    await bar.getByTestId('job-chunk-seconds').fill('1');
    await eventually(() => bar.getByTestId('bulk-queue').isDisabled()).toBe(true);
    expect(await bar.getByTestId('bulk-queue').getAttribute('title')).toMatch(/Chunk length must be a number of seconds from 2 to 3600/);
    await bar.getByTestId('job-chunk-seconds').fill('5');
    await eventually(() => bar.getByTestId('bulk-queue').isDisabled()).toBe(false);
    // Q focuses the preset picker; Enter there queues.
    await page.mouse.click(5, 5);
    await page.keyboard.press('q');
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('bulk-preset');
    await page.keyboard.press('Enter');
    await eventually(toastText).toMatch(/2 of 2 queued with “web”/);
    const listed = await church(['jobs', '--json', '--data-dir', dataDir]);
    expect(listed.code, listed.stderr).toBe(0);
    const jobs = (JSON.parse(listed.stdout) as { jobs: { preset: string; params: Record<string, unknown> }[] }).jobs;
    expect(jobs.filter((j) => j.preset === 'web').map((j) => j.params.chunkSeconds)).toEqual([5, 5]);
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('selection-bar').count()).toBe(0);
    // The toast leads to the Jobs screen, where the two jobs are; the status bar counts what runs.
    await page.getByRole('button', { name: 'Open Jobs' }).click();
    await page.getByTestId('screen-jobs').waitFor();
    await page.screenshot({ path: screenshotPath('shell-after-queue') });
    await page.keyboard.press('Alt+Shift+Digit1');
    await page.getByTestId('screen-library').waitFor();
  });

  it('works from the keyboard: J/K, X, Ctrl+A, G and Esc', async () => {
    await page.mouse.click(5, 5); // focus leaves any field
    // The keyboard cursor continues from the last clicked card (Lumen Chapel), and stops at the ends.
    const current = () => page.locator('.lib-card.current .lib-title').textContent();
    await page.keyboard.press('j');
    await eventually(current).toBe('Quiet Orbit');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await eventually(current).toBe('Velvet Garden');
    await page.keyboard.press('k');
    await page.keyboard.press('ArrowLeft');
    await eventually(current).toBe('Lumen Chapel');
    await page.keyboard.press('x');
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await page.keyboard.press('Control+a');
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('4 selected');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('selection-bar').count()).toBe(0);
    // Enter opens the video page; Esc goes back to the grid.
    await page.keyboard.press('Enter');
    await page.getByTestId('video-page').waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('video-page').count()).toBe(0);

    await page.keyboard.press('g');
    await page.locator('.lib-row:not(.lib-row-head)').first().waitFor();
    expect(await page.locator('.lib-row:not(.lib-row-head)').count()).toBe(4);
    await page.screenshot({ path: screenshotPath('library-list') });
    await page.getByTestId('view-grid').click();
    await page.locator('.lib-card').first().waitFor();
  });

  it('explains a drop in the browser (no paths there) and opens the path field', async () => {
    await page.evaluate(() => {
      const target = document.querySelector('.lib-screen')!;
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'clip.mp4', { type: 'video/mp4' }));
      for (const type of ['dragenter', 'dragover']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('lib-drop').waitFor();
    await page.screenshot({ path: screenshotPath('library-drop') });
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'clip.mp4', { type: 'video/mp4' }));
      document.querySelector('.lib-screen')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await eventually(toastText).toMatch(/does not tell the studio where dropped files are/);
    await eventually(() => page.getByTestId('lib-drop').count()).toBe(0);
    expect(await page.getByTestId('import-path').isVisible()).toBe(true);
  });

  it('shows the import progress bar and cancels an import', async () => {
    const many = join(media, 'many');
    mkdirSync(many);
    const base = join(media, 'base.mkv');
    await makeClip(base, { seconds: 1 });
    for (let i = 0; i < 40; i++) copyFileSync(base, join(many, `copy ${String(i).padStart(3, '0')}.mkv`));
    if (!(await page.getByTestId('import-path').isVisible())) await page.getByTestId('import-open').click();
    await page.getByTestId('import-path').fill(many);
    await page.getByTestId('import-submit').click();
    const progress = page.getByTestId('import-progress');
    await progress.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('library-importing') });
    await page.getByTestId('import-cancel').click();
    // The studio has taken the cancel once it is in the audit log; only then may the held probes finish.
    const client = await studio.client();
    await waitFor('the cancel to reach the studio', async () => (await client.call('audit.recent', { limit: 20 })).some((e) => e.action === 'library.cancelImport'));
    writeFileSync(importGate, '');
    await eventually(toastText, 60_000).toMatch(/Import cancelled/);
    await eventually(() => progress.count()).toBe(0);
    // The files in flight when Cancel was clicked settle (whole items only); the rest are never started.
    const shown = Number(await page.getByTestId('lib-results').getAttribute('data-total'));
    expect(shown).toBeGreaterThanOrEqual(4);
    expect(shown).toBeLessThan(44);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  });
});
