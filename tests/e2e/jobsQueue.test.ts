import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { resolveBinary } from '../../electron/platform/media';
import { screenshotPath } from '../helpers/browser';
import { church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useStudioPage } from '../helpers/studioPage';

// The Jobs screen as a queue the owner arranges (HandBrake's queue is the bar): one count in the header, the order
// set by keyboard and drag and honoured by the engine, cancel with Undo, one job paused on its own, start/elapsed
// time and size per job, play, Clear finished. ffmpeg is paced (-re), so a 4-second clip encodes in ~4 s.
describe('the job queue, arranged by the owner', () => {
  const media = tempDir('church-e2e-queue-media-');
  const wrapper = join(media, 'ffmpeg');
  const studio = useStudioPage({
    prefix: 'church-e2e-queue-',
    env: () => ({ FFMPEG_PATH: wrapper }),
    prepare: async (dataDir) => {
      const clip = await makeClip(join(media, 'vespers.mp4'), { seconds: 4 });
      const imported = await church(['import', clip, '--no-assets', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
      if (imported.code !== 0) throw new Error(imported.stderr);
      writeFileSync(wrapper, `#!/bin/sh\nexec "${resolveBinary('ffmpeg').path}" -re "$@"\n`);
      chmodSync(wrapper, 0o755);
    },
  });

  const row = (page: Page, id: number) => page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
  const queuedIds = (page: Page) =>
    page
      .getByTestId('jobs-queued')
      .getByTestId('job-row')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-job-id'))));

  it('counts once, reorders by keyboard and drag (the engine follows), cancels with Undo, pauses one job, shows times and size, clears finished', async () => {
    const client = await studio.client();
    await client.call('jobs.setSettings', { concurrency: 1 });
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('button', { name: /^⚙?\s*Jobs/ }).click();
    await page.getByTestId('job-preset').locator('option').first().waitFor({ state: 'attached' });
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => page.getByTestId('queue-state').textContent()).toBe('Queue paused');
    await page.getByTestId('job-preset').selectOption('web-720');
    for (let i = 0; i < 3; i++) await page.getByTestId('job-enqueue').click();
    await expect.poll(() => page.getByTestId('queue-state').textContent()).toBe('Queue paused · 3 queued');
    await expect.poll(() => queuedIds(page)).toEqual([1, 2, 3]);

    // Keyboard: Alt+Up moves the focused job one place up, and focus stays on it.
    await row(page, 3).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => queuedIds(page)).toEqual([1, 3, 2]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-job-id'))).toBe('3');
    expect(await page.getByTestId('job-move-note').textContent()).toBe('Job #3 moved to place 2 of 3.');
    // Drag: job 2 dropped on job 1 takes its place at the front.
    await row(page, 2).dragTo(row(page, 1));
    await expect.poll(() => queuedIds(page)).toEqual([2, 1, 3]);
    // The engine holds the same order (what another window or `church jobs` reads).
    const listed = await client.call('jobs.list', {});
    expect(listed.jobs.filter((j) => j.status === 'queued').map((j) => j.id)).toEqual([2, 1, 3]);
    await page.screenshot({ path: screenshotPath('jobs-queue-ordered') });

    // Cancel offers Undo, which puts the job back in its place.
    await row(page, 1).getByTestId('job-cancel').click();
    await expect.poll(() => row(page, 1).getAttribute('data-status')).toBe('cancelled');
    await page.getByTestId('toast').filter({ hasText: 'Job #1 cancelled.' }).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => queuedIds(page)).toEqual([2, 1, 3]);

    // Resumed, the queue starts the job the owner put first, and the header counts it once.
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => row(page, 2).getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    await expect.poll(() => page.getByTestId('queue-state').textContent()).toBe('1 running · 2 queued');
    expect(await row(page, 2).getByTestId('job-started').textContent()).toMatch(/^started \d/);

    // One job paused on its own: the queue itself stays running, the job says it is held.
    await row(page, 2).getByTestId('job-pause').click();
    await expect.poll(() => row(page, 2).getAttribute('data-status'), { timeout: 15_000 }).toBe('paused');
    expect(await row(page, 2).getByTestId('job-status').textContent()).toBe('paused (this job)');
    await expect.poll(() => page.getByTestId('queue-state').textContent()).toBe('1 paused · 2 queued');
    expect((await client.call('jobs.get', { id: 2 })).held).toBe(true);
    await page.screenshot({ path: screenshotPath('jobs-queue-held') });
    await row(page, 2).getByTestId('job-resume').click();
    await expect.poll(() => row(page, 2).getAttribute('data-status')).toBe('running');
    await expect.poll(() => row(page, 2).getAttribute('data-status'), { timeout: 30_000 }).toBe('done');

    // Finished: when it started, how long it took, how big the output is; Play opens the video page.
    expect(await row(page, 2).getByTestId('job-elapsed').textContent()).toMatch(/^\d+ s$/);
    const stored = await client.call('jobs.get', { id: 2 });
    expect(stored.outputBytes).toBeGreaterThan(0);
    expect(await row(page, 2).getByTestId('job-size').textContent()).toMatch(/\d (B|kB|MB)$/);
    await page.getByTestId('queue-toggle').click(); // hold the rest, so the list stands still
    await row(page, 2).getByTestId('job-play').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/library/video/1');
    await page.goBack();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/jobs');

    // Clear finished removes done and cancelled jobs; the output stays in the library.
    await row(page, 3).getByTestId('job-cancel').click();
    await expect.poll(() => row(page, 3).getAttribute('data-status')).toBe('cancelled');
    await page.getByTestId('jobs-clear-finished').click();
    await expect.poll(() => page.getByTestId('job-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')))).toEqual(['1']);
    const video = await client.call('library.get', { id: 1 });
    expect(video.outputs.some((o) => o.jobId === 2)).toBe(true);
    await page.close();
  });
});
