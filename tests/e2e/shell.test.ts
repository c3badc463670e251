import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { useStudioPage } from '../helpers/studioPage';

/** The studio shell in Chromium through `church serve`: sidebar, status bar, shortcuts, themes, Settings. */
describe('studio shell', () => {
  const studio = useStudioPage({ prefix: 'church-shell-' });

  const open = (): Promise<Page> => studio.openPage({ viewport: { width: 1360, height: 840 }, connected: true });
  const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
  const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

  it('navigates by keyboard, focuses search from anywhere and lists the shortcuts', async () => {
    const page = await open();
    await page.getByTestId('screen-library').waitFor();
    await expect.poll(() => page.getByTestId('statusbar').textContent()).toContain('connected');

    await page.keyboard.press('Alt+Shift+Digit2');
    await page.getByTestId('screen-jobs').waitFor();
    await page.keyboard.press('Alt+Shift+Digit7');
    await page.getByTestId('screen-settings').waitFor();

    // "/" on a screen without a search field goes to the Library's and focuses it.
    await page.keyboard.press('/');
    await page.getByTestId('screen-library').waitFor();
    await expect.poll(() => activeTestId(page)).toBe('lib-search');
    // Typing "?" in the field types it; it does not open the overlay.
    await page.keyboard.type('?');
    expect(await page.getByTestId('shortcuts-overlay').count()).toBe(0);
    await page.keyboard.press('Escape'); // clears the field
    await page.keyboard.press('Escape'); // leaves it
    await page.keyboard.press('Alt+Shift+Digit3');
    await page.getByTestId('screen-monitor').waitFor();
    await page.keyboard.press('Control+k');
    await expect.poll(() => activeTestId(page)).toBe('lib-search');
    // The field was cleared just before leaving the screen: it stays cleared.
    expect(await page.getByTestId('lib-search').inputValue()).toBe('');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.keyboard.press('?');
    const overlay = page.getByTestId('shortcuts-overlay');
    await overlay.waitFor();
    const text = await overlay.textContent();
    for (const does of ['Open Library', 'Focus the search field', 'Next video', 'Queue the selection', 'Play / pause']) expect(text).toContain(does);
    await page.screenshot({ path: screenshotPath('shell-shortcuts') });
    await page.keyboard.press('Escape');
    await expect.poll(() => overlay.count()).toBe(0);
    // The status bar's help button opens it too.
    await page.getByTitle('Keyboard shortcuts (?)').click();
    await overlay.waitFor();
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('switches light, dark and system themes in Settings, stores them in main and follows the OS', async () => {
    const page = await open();
    await page.keyboard.press('Alt+Shift+Digit7');
    await page.getByTestId('settings-appearance').waitFor();

    await page.getByTestId('theme-light').click();
    await expect.poll(() => theme(page)).toBe('light');
    expect(await page.getByTestId('theme-light').getAttribute('aria-checked')).toBe('true');
    await page.screenshot({ path: screenshotPath('settings-light') });

    await page.getByTestId('theme-dark').click();
    await expect.poll(() => theme(page)).toBe('dark');
    await page.screenshot({ path: screenshotPath('settings-dark') });

    // System follows the OS setting, live.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('theme-system').click();
    await expect.poll(() => theme(page)).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => theme(page)).toBe('dark');

    // Density and motion are preferences too; all of them survive a reload because main stores them.
    await page.getByTestId('density-compact').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.density)).toBe('compact');
    await page.getByTestId('reduce-motion').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.motion)).toBe('reduce');
    // The reload must find them in main: wait until main has stored all three (the page saves each as it changes).
    const client = await studio.client();
    await expect.poll(() => client.call('preferences.get', {})).toEqual({ theme: 'system', density: 'compact', reduceMotion: true });
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.density)).toBe('compact');
    expect(await page.getByTestId('theme-system').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('reduce-motion').isChecked()).toBe(true);

    // Put them back for the other tests.
    await page.getByTestId('density-comfortable').click();
    await page.getByTestId('reduce-motion').uncheck();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.motion)).toBe('full');
    await page.close();
  });
});
