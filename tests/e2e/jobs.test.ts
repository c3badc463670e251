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

// The Jobs screen in Chromium through `church serve`. ffmpeg runs through a wrapper that adds -re (the real
// ffmpeg, paced to real time), so a 4-second clip takes about 4 seconds and the live progress can be watched.
describe('jobs screen in Chromium', () => {
  const media = tempDir('church-e2e-jobs-media-');
  const wrapper = join(media, 'ffmpeg');
  let clip = '';
  const studio = useStudioPage({
    prefix: 'church-e2e-jobs-',
    env: () => ({ FFMPEG_PATH: wrapper }),
    prepare: async (dataDir) => {
      // A keyframe every second, so the chunked job below can be cut into 2-second chunks.
      clip = await makeClip(join(media, 'sermon.mp4'), { seconds: 4, extra: ['-g', '25'] });
      const imported = await church(['import', clip, '--no-assets', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
      if (imported.code !== 0) throw new Error(imported.stderr);
      writeFileSync(wrapper, `#!/bin/sh\nexec "${resolveBinary('ffmpeg').path}" -re "$@"\n`);
      chmodSync(wrapper, 0o755);
    },
  });

  async function openJobs(): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1280, height: 900 } });
    await page.getByRole('button', { name: /^⚙?\s*Jobs/ }).click();
    await page.getByTestId('job-preset').locator('option').first().waitFor({ state: 'attached' });
    return page;
  }

  it('shows the empty state, queues a job, watches the progress bar run to done', async () => {
    const page = await openJobs();
    await page.getByTestId('jobs-empty').waitFor();
    await page.screenshot({ path: screenshotPath('jobs-empty') });
    await page.getByTestId('job-preset').selectOption('hls');
    await page.getByTestId('job-enqueue').click();
    const row = page.getByTestId('job-row').first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    // Live figures arrive by events: percent climbs while running.
    await expect.poll(async () => Number(await row.getByTestId('job-progress').getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(10);
    expect(await row.textContent()).toMatch(/fps/);
    expect(await row.textContent()).toMatch(/ETA/);
    expect(await page.getByTestId('running-jobs').textContent()).toMatch(/1 job running/);
    await page.screenshot({ path: screenshotPath('jobs-running') });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    // Finished: no progress bar (the status says it once), but when it ran, for how long, and how big the output is.
    expect(await row.getByTestId('job-progress').count()).toBe(0);
    expect(await row.getByTestId('job-status').textContent()).toBe('done');
    expect(await row.getByTestId('job-elapsed').textContent()).toMatch(/^\d+ s$/);
    expect(await row.getByTestId('job-size').textContent()).toMatch(/\d( |\u00a0)?(B|kB|KB|KiB|MB|MiB)$/);
    expect(await row.textContent()).toMatch(/sermon\.hls/);
    await expect.poll(() => page.getByTestId('running-jobs').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('jobs-done') });
    await page.close();
  });

  it('pauses the queue (the encode freezes), cancels the paused job, retries it, resumes to done', async () => {
    const page = await openJobs();
    await page.getByTestId('job-preset').selectOption('web-720');
    await page.getByTestId('job-enqueue').click();
    const row = page.locator('[data-testid="job-row"][data-job-id="2"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('paused');
    expect(await page.getByTestId('queue-state').textContent()).toMatch(/^Queue paused/);
    // Paused jobs cannot finish behind the test's back, so the cancel is deterministic.
    await row.getByTestId('job-cancel').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('cancelled');
    expect(await row.getByTestId('job-error').textContent()).toBe('cancelled by the owner');
    await row.getByTestId('job-retry').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('queued'); // the queue is still paused
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    await page.screenshot({ path: screenshotPath('jobs-retried') });
    await page.close();
  });

  it('splits a job into chunks from the form: a bad length is refused in words, a chunked job shows its chunks', async () => {
    const page = await openJobs();
    // HLS, since the web preset would only remux this already web-ready clip (a remux is never chunked).
    await page.getByTestId('job-preset').selectOption('hls');
    expect(await page.getByTestId('job-chunk-mode').inputValue()).toBe('auto');
    await page.getByTestId('job-chunk-mode').selectOption('seconds');
    await page.getByTestId('job-chunk-seconds').fill('1');
    expect(await page.getByTestId('job-chunk-error').textContent()).toMatch(/^Chunk length must be a number of seconds from 2 to 3600/);
    expect(await page.getByTestId('job-enqueue').isDisabled()).toBe(true);
    await page.getByTestId('job-chunk-seconds').fill('2');
    await page.getByTestId('job-enqueue').click();
    const row = page.locator('[data-testid="job-row"][data-job-id="3"]');
    // Paused once its chunks are under way: a paused chunked job keeps its figures, so the count can be read.
    await expect.poll(async () => (await row.getByTestId('job-chunks').count()) > 0 && (await row.getAttribute('data-status')) === 'running', { timeout: 20_000 }).toBe(true);
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('paused');
    expect(await row.getByTestId('job-chunks').textContent()).toMatch(/^chunk [12]\/2 · [01] done$/);
    await page.screenshot({ path: screenshotPath('jobs-chunked') });
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await row.locator('.job-plan').textContent()).toMatch(/chunked: 2 chunks of ~2 s/);
    await page.close();
  });

  it('a job whose source went bad fails with the reason and shows ffmpeg\'s log tail', async () => {
    const page = await openJobs();
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => page.getByTestId('queue-state').textContent()).toMatch(/^Queue paused/);
    await page.getByTestId('job-preset').selectOption('web');
    await page.getByTestId('job-enqueue').click();
    const row = page.locator('[data-testid="job-row"][data-job-id="4"]');
    await expect.poll(() => row.getAttribute('data-status')).toBe('queued');
    // The file is damaged after it was queued (a disk error, a half-finished copy over it): ffmpeg really fails.
    writeFileSync(clip, 'this is not a video any more\n'.repeat(200));
    await page.getByTestId('queue-toggle').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('failed');
    expect(await row.getByTestId('job-error').textContent()).toMatch(/^ffmpeg failed \(exit \d+\)/);
    await row.getByText('ffmpeg log (last lines)').click();
    expect(await row.getByTestId('job-log').textContent()).toMatch(/Invalid data|could not find|moov atom/i);
    expect(await row.getByTestId('job-retry').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('jobs-failed') });
    await page.close();
  });
});
