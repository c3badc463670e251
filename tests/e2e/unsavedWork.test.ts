import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useStudioPage } from '../helpers/studioPage';

/**
 * Issue #26 items 4 and 8 in Chromium through `church serve`: unsaved cues and settings are never thrown away
 * silently (Esc, ← Back, another screen, the browser's Back all ask: Keep editing / Discard), and Settings fields
 * save themselves as they change, with inline validation in the field's words and dropdowns that show their whole text.
 */
describe('unsaved work asks first; settings save themselves', () => {
  const media = tempDir('church-e2e-unsaved-media-');
  const studio = useStudioPage({
    prefix: 'church-e2e-unsaved-',
    prepare: async (dataDir) => {
      const clip = await makeClip(join(media, 'Vigil.mp4'), { seconds: 3, width: 320, height: 180 });
      const imported = await church(['import', clip, '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
      if (imported.code !== 0) throw new Error(imported.stderr);
    },
  });
  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout });
  const hash = (page: Page) => page.evaluate(() => location.hash);
  const dialog = (page: Page) => page.getByTestId('unsaved-dialog');

  async function videoPageWithNewCue(page: Page): Promise<void> {
    await page.locator('.lib-card').first().dblclick({ position: { x: 60, y: 60 } });
    await page.getByTestId('video-page').waitFor();
    await page.getByTestId('cue-add').click();
    await eventually(() => page.getByTestId('cue-marker').count()).toBe(1);
  }

  it('an added cue asks before Esc, ← Back, another screen or the browser’s Back take it away', async () => {
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    await videoPageWithNewCue(page);
    const pageAddress = await hash(page);
    expect(pageAddress).toMatch(/^#\/library\/video\/\d+$/);

    // Esc: the question; Keep editing leaves page and cue as they were.
    await page.getByTestId('cue-add').blur();
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-dialog-cancel').waitFor();
    expect(await dialog(page).textContent()).toMatch(/You have unsaved cue changes/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');
    await page.screenshot({ path: screenshotPath('unsaved-cues-dialog') });
    await page.getByTestId('unsaved-dialog-cancel').click();
    await eventually(() => page.getByTestId('unsaved-dialog-cancel').count()).toBe(0);
    expect(await page.getByTestId('video-page').count()).toBe(1);
    expect(await page.getByTestId('cue-marker').count()).toBe(1);

    // Another screen from the sidebar: asked; Keep editing stays on the page at its address.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Jobs/ }).click();
    await page.getByTestId('unsaved-dialog-cancel').click();
    expect(await hash(page)).toBe(pageAddress);
    expect(await page.getByTestId('video-page').count()).toBe(1);

    // The browser's Back: asked; Keep editing puts the address back.
    await page.goBack();
    await page.getByTestId('unsaved-dialog-cancel').click();
    await eventually(() => hash(page)).toBe(pageAddress);
    expect(await page.getByTestId('cue-marker').count()).toBe(1);

    // ← Back, then Discard: the cue is gone and the grid is back.
    await page.getByTestId('page-back').click();
    await page.getByTestId('unsaved-dialog-confirm').click();
    await eventually(() => page.getByTestId('video-page').count()).toBe(0);
    expect(await hash(page)).toBe('#/library');

    // Saved cues leave without a question.
    await videoPageWithNewCue(page);
    await page.getByTestId('cue-save').click();
    await eventually(() => page.getByTestId('cue-save').textContent()).toBe('Saved');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('video-page').count()).toBe(0);
    expect(await page.getByTestId('unsaved-dialog-cancel').count()).toBe(0);
    await page.close();
  });

  it('Settings save as they change, say what is wrong under the field, and ask before leaving an invalid value', async () => {
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    const client = await studio.client();
    await page.evaluate(() => (location.hash = '#/settings/jobs'));
    const concurrency = page.getByTestId('job-concurrency');
    await concurrency.waitFor();
    // A valid value is saved as typed: no Save button.
    await concurrency.fill('3');
    await eventually(() => page.getByTestId('job-concurrency-state').textContent()).toBe('✓ Saved');
    expect((await client.call('jobs.getSettings', {})).concurrency).toBe(3);
    await page.getByTestId('job-recovery').selectOption('leave');
    await eventually(async () => (await client.call('jobs.getSettings', {})).recovery).toBe('leave');
    await eventually(() => page.getByTestId('job-recovery-state').textContent()).toBe('✓ Saved');
    expect(await page.getByTestId('job-settings').getByRole('button', { name: /^Save/ }).count()).toBe(0);

    // An invalid one is named under the field, not saved, and leaving asks.
    await concurrency.fill('0');
    expect(await page.getByTestId('job-concurrency-error').textContent()).toBe('Jobs at once: enter a whole number from 1 to 64');
    expect(await concurrency.getAttribute('aria-invalid')).toBe('true');
    expect((await client.call('jobs.getSettings', {})).concurrency).toBe(3);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Library/ }).click();
    await page.getByTestId('unsaved-dialog-cancel').waitFor();
    expect(await dialog(page).textContent()).toMatch(/Jobs at once/);
    await page.getByTestId('unsaved-dialog-cancel').click();
    expect(await hash(page)).toBe('#/settings/jobs');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Library/ }).click();
    await page.getByTestId('unsaved-dialog-confirm').click();
    await eventually(() => hash(page)).toBe('#/library');
    await page.goBack();
    await eventually(() => concurrency.inputValue()).toBe('3');

    // The monitor's interval saves itself too.
    await page.evaluate(() => (location.hash = '#/settings/monitor'));
    await page.getByTestId('monitor-interval').selectOption('5000');
    await eventually(async () => (await client.call('monitor.getSettings', {})).intervalMs).toBe(5000);

    // Every dropdown in Settings is as wide as its longest option (none clipped), at 1280 wide.
    const clipped = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLSelectElement>('.settings-screen select')]
        .filter((s) => s.offsetParent !== null)
        .flatMap((s) => {
          const shown = s.offsetWidth;
          const old = s.style.cssText;
          s.style.cssText += ';width:auto !important;max-width:none !important;min-width:0 !important;flex:none !important';
          const natural = s.offsetWidth;
          s.style.cssText = old;
          return shown + 1 < natural ? [`${s.getAttribute('aria-label') ?? s.dataset.testid ?? s.name}: ${shown}px < ${natural}px`] : [];
        }),
    );
    expect(clipped).toEqual([]);
    await page.close();
  });
});
