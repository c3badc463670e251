import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { createHost } from '../../electron/host/createHost';
import { seedStudio } from '../helpers/backup';
import { screenshotPath } from '../helpers/browser';
import { bareControls, kitControls } from '../helpers/designSystem';
import { useStudioPage } from '../helpers/studioPage';

/**
 * Issue #26, items 7, 18 and 19 in Chromium: Backups, Subscribers (Stripe) and Lab use the design system's
 * controls only; Subscribers without a Stripe key says why it cannot sync and leads to the key's Settings section;
 * System → Recent activity is in words, with the item each entry concerns, under column headers.
 */
describe('the design system on Backups, Subscribers and Lab; activity in words', () => {
  let ids: number[] = [];
  const studio = useStudioPage({
    prefix: 'church-e2e-ui-',
    // No key from the environment: the screen must show the no-key state.
    env: () => ({ STRIPE_API_KEY: '', CHURCH_NO_ATTACH: '1', CHURCH_NVIDIA_SMI: '' }),
    prepare: async (dataDir) => {
      const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
      try {
        ids = seedStudio(host, 4);
      } finally {
        await host.close();
      }
    },
  });

  const open = async (place: string): Promise<Page> => {
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 }, connected: true });
    await page.evaluate((p) => (location.hash = `#/${p}`), place);
    return page;
  };

  it('Subscribers without a key: Sync now and Full sync are disabled, say why, and link to Settings → Stripe', async () => {
    const page = await open('subscribers');
    await page.getByTestId('no-key').waitFor();
    expect(await page.getByTestId('sync-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('full-sync-button').isDisabled()).toBe(true);
    const reason = page.getByTestId('sync-disabled-reason');
    expect(await reason.isVisible()).toBe(true);
    expect(await reason.textContent()).toMatch(/needs a Stripe key/);
    // The buttons name the reason for a screen reader too.
    expect(await page.getByTestId('sync-button').getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));
    expect(await bareControls(page.locator('.subscribers-screen'))).toEqual([]);
    await page.screenshot({ path: screenshotPath('subscribers-no-key') });

    await page.getByTestId('sync-settings-link').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/settings/stripe');
    await page.getByTestId('stripe-key-input').waitFor();
    expect(await page.getByTestId('stripe-key-input').isVisible()).toBe(true);
    await page.close();
  });

  it('Settings → Backups, Subscribers (Stripe) and Lab, and the Lab screen have no bare native button or input', async () => {
    const page = await open('settings/backups');
    const backups = page.getByTestId('backup-settings');
    await backups.waitFor();
    // A snapshot, so the list's restore buttons are there too.
    await page.getByTestId('backup-now').click();
    await page.getByTestId(/^backup-restore-\d/).first().waitFor({ timeout: 30_000 });
    await page.getByTestId(/^backup-restore-\d/).first().click();
    await page.getByTestId(/^backup-restore-confirm-/).first().waitFor();
    for (const [name, root] of [
      ['backups', backups],
      ['stripe', page.getByTestId('stripe-settings')],
      ['lab settings', page.getByTestId('settings-lab')],
    ] as const) {
      await root.waitFor();
      expect({ name, bare: await bareControls(root) }).toEqual({ name, bare: [] });
      expect(await kitControls(root)).toBeGreaterThan(1);
    }
    await page.evaluate(() => (location.hash = '#/lab'));
    await page.getByTestId('lab-empty').waitFor();
    expect(await bareControls(page.locator('.content'))).toEqual([]);
    await page.close();
  });

  it('System → Recent activity says what happened in words, to which item, under column headers', async () => {
    const client = await studio.client();
    await client.call('library.update', { id: ids[0]!, patch: { rating: 4 } });
    await client.call('library.bulkUpdate', { ids: ids.slice(0, 3), addTags: ['live'] });
    await client.call('jobs.pause', {});
    const page = await open('studio');
    const table = page.getByTestId('activity-table');
    await table.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['When', 'Who', 'What', 'Item', 'Result']);
    const what = await table.getByTestId('activity-what').allTextContents();
    expect(what.slice(0, 3)).toEqual(['Jobs: queue paused', 'Library: 3 videos edited', 'Library: 1 video edited']);
    const items = await table.getByTestId('activity-item').allTextContents();
    expect(items[1]).toBe('tags +live');
    // The one video edited is named by its title, with a link to its page.
    expect(items[2]).toMatch(/^“clip 0.*” \(rating\)$/);
    expect(await table.getByTestId('activity-item').nth(2).locator('a').getAttribute('href')).toBe(`#/library/video/${ids[0]}`);
    // No raw request name anywhere in the table.
    expect(await table.textContent()).not.toMatch(/\b(library|jobs)\.[a-z][A-Za-z]+/);
    await page.screenshot({ path: screenshotPath('system-activity') });
    await page.close();
  });
});
