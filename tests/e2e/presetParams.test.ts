import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { Job } from '../../shared/dto/jobs';
import { screenshotPath } from '../helpers/browser';
import { church } from '../helpers/cli';
import { makeImage } from '../helpers/libraryFiles';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useStudioPage } from '../helpers/studioPage';

/**
 * Issue #26 item 3 in Chromium through `church serve`: a preset that needs settings (the watermark's image) gets a
 * form generated from its schema wherever a preset is chosen — the Jobs form, the Library's selection bar, the
 * video page — with the field named as the form names it when it is missing or wrong; a watermark job queued from
 * the UI with a PNG picked through the path field's completion runs to done and its output exists; the owner's own
 * presets are made and deleted in the preset editor.
 */
describe('preset parameters in the UI', () => {
  const media = tempDir('church-e2e-params-media-');
  let logo = '';
  const studio = useStudioPage({
    prefix: 'church-e2e-params-',
    prepare: async (dataDir) => {
      const clip = await makeClip(join(media, 'Chapel.mp4'), { seconds: 2, width: 320, height: 180 });
      logo = await makeImage(join(media, 'logos', 'church-logo.png'));
      const imported = await church(['import', clip, '--no-assets', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
      if (imported.code !== 0) throw new Error(imported.stderr);
    },
  });
  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout });
  const jobs = async (): Promise<Job[]> => (await (await studio.client()).call('jobs.list', {})).jobs;

  async function openJobs(): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    await page.evaluate(() => (location.hash = '#/jobs'));
    await page.getByTestId('job-preset').locator('option', { hasText: 'watermark' }).waitFor({ state: 'attached' });
    await page.getByTestId('job-video').locator('option').first().waitFor({ state: 'attached' });
    return page;
  }

  it('the Jobs form asks for the watermark image in words, completes its path, and the job runs to an output that exists', async () => {
    const page = await openJobs();
    await page.getByTestId('job-preset').selectOption('watermark');
    const image = page.getByLabel('Watermark image');
    await image.waitFor();
    // Queue without an image: the field says what it needs, nothing is queued.
    await page.getByTestId('job-enqueue').click();
    expect(await page.getByTestId('param-error-imagePath').textContent()).toBe('Watermark image: choose a file');
    expect(await image.getAttribute('aria-invalid')).toBe('true');
    expect(await jobs()).toEqual([]);
    await image.fill('logos/church-logo.png');
    expect(await page.getByTestId('param-error-imagePath').textContent()).toMatch(/^Watermark image: enter the full path of the file/);
    // Completion from the studio's folders: the folder, then the PNG in it.
    await image.fill(join(media, 'lo'));
    await eventually(() => page.locator('datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([`${join(media, 'logos')}/`]);
    await image.fill(`${join(media, 'logos')}/`);
    await eventually(() => page.locator('datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([logo]);
    await image.fill(logo);
    // The other settings are folded; a wrong value is named at once.
    await page.getByText(/^More settings/).click();
    await page.getByLabel('Opacity').fill('3');
    expect(await page.getByTestId('param-error-opacity').textContent()).toBe('Opacity: enter a number from 0 to 1');
    await page.getByLabel('Opacity').fill('0.5');
    await page.getByLabel('Position').selectOption('top-left');
    expect(await page.getByTestId('param-error-opacity').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('preset-params-jobs') });
    await page.getByTestId('job-enqueue').click();
    const row = page.getByTestId('job-row').first();
    await eventually(() => row.getAttribute('data-status'), 60_000).toBe('done');
    const [job] = await jobs();
    expect(job).toMatchObject({ preset: 'watermark', status: 'done', params: { imagePath: logo, opacity: 0.5, position: 'top-left' } });
    expect(existsSync(job!.outputPath)).toBe(true);
    await page.close();
  });

  it('the selection bar and the video page show the same form before queueing a watermark', async () => {
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    const card = page.locator('.lib-card').first();
    await card.getByTestId('card-check').click();
    await page.getByTestId('bulk-preset').selectOption('watermark');
    const bar = page.getByTestId('selection-bar');
    await bar.getByTestId('bulk-queue').click();
    expect(await bar.getByTestId('param-error-imagePath').textContent()).toBe('Watermark image: choose a file');
    await bar.getByLabel('Watermark image').fill(logo);
    await bar.getByTestId('bulk-queue').click();
    await eventually(async () => (await jobs()).length).toBe(2);

    await card.dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    await page.getByTestId('queue-watermark').click();
    const form = page.getByTestId('preset-params');
    await form.getByTestId('preset-params-queue').click();
    expect(await form.getByTestId('param-error-imagePath').textContent()).toBe('Watermark image: choose a file');
    await form.getByLabel('Watermark image').fill(logo);
    await form.getByTestId('preset-params-queue').click();
    await eventually(async () => (await jobs()).length).toBe(3);
    expect((await jobs()).every((j) => j.params.imagePath === logo)).toBe(true);
    await page.close();
  });

  it('the preset editor makes a preset from the watermark one, which the form then offers, and deletes it after asking', async () => {
    const page = await openJobs();
    await page.getByTestId('preset-editor').locator('summary').click();
    await page.getByTestId('preset-base').selectOption('watermark');
    await page.getByTestId('preset-new').click();
    await page.getByTestId('preset-name').fill('corner logo');
    expect(await page.getByText('Name: use letters, digits, _ . - only (at most 64)').count()).toBe(1);
    await page.getByTestId('preset-name').fill('corner-logo');
    await page.getByTestId('preset-draft').getByLabel('Position').selectOption('top-left');
    await page.getByTestId('preset-draft').getByLabel('Watermark width').fill('150');
    expect(await page.getByTestId('preset-draft').getByTestId('param-error-widthPercent').textContent()).toBe('Watermark width: enter a number from 1 to 100 %');
    expect(await page.getByTestId('preset-save').isDisabled()).toBe(true);
    await page.getByTestId('preset-draft').getByLabel('Watermark width').fill('20');
    await page.getByTestId('preset-save').click();
    await page.getByTestId('preset-row-corner-logo').waitFor();
    expect(await page.getByTestId('preset-row-corner-logo').textContent()).toMatch(/watermark · yours/);
    const list = await (await studio.client()).call('jobs.presets', {});
    expect(list.presets.find((p) => p.name === 'corner-logo')).toMatchObject({ source: 'user', params: { position: 'top-left', widthPercent: 20 } });
    // The Jobs form offers it, with its own values.
    await page.getByTestId('job-preset').selectOption('corner-logo');
    await page.getByText(/^More settings/).click();
    expect(await page.getByLabel('Position').first().inputValue()).toBe('top-left');

    await page.getByTestId('preset-delete-corner-logo').click();
    await page.getByTestId('preset-delete-dialog-cancel').waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('preset-delete-dialog-cancel').count()).toBe(0);
    expect(await page.getByTestId('preset-row-corner-logo').count()).toBe(1);
    await page.getByTestId('preset-delete-corner-logo').click();
    await page.getByTestId('preset-delete-dialog-confirm').click();
    await eventually(() => page.getByTestId('preset-row-corner-logo').count()).toBe(0);
    await page.close();
  });
});
