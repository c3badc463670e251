import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { damageTablePage, seedStudio } from '../helpers/backup';
import { screenshotPath } from '../helpers/browser';
import { bareControls } from '../helpers/designSystem';
import { startServe } from '../helpers/cli';
import { useChromium } from '../helpers/studioPage';
import { tempDir } from '../helpers/tempDir';

/** When the newest snapshot made by `damagedStudio` was taken (ISO). */
let snapshotAt = '';

/** A studio with `items` library items and a verified snapshot of them, then its database damaged on disk. */
async function damagedStudio(prefix: string, items: number): Promise<string> {
  const dataDir = tempDir(prefix);
  const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
  try {
    seedStudio(host, items);
    const r = await host.backup.run({ restic: false });
    expect(r.ok, r.error ?? '').toBe(true);
    snapshotAt = r.snapshot!.createdAt;
  } finally {
    await host.close();
  }
  damageTablePage(join(dataDir, 'studio.sqlite'));
  return dataDir;
}

/**
 * The recovery screen in Chromium through `church serve` on a data dir whose studio.sqlite has a damaged page:
 * the same screen the window shows, its choices carried out by the same RecoverableStudio.
 */
describe('the recovery screen', () => {
  // A studio per test (each on its own damaged data dir), one Chromium for both.
  const chromium = useChromium();
  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout });

  it('shows what is wrong and the newest snapshot; "restore" brings the library back without a restart', async () => {
    const dataDir = await damagedStudio('church-e2e-recover-', 6);
    const serve = await startServe(dataDir, { CHURCH_NVIDIA_SMI: '' });
    try {
      const page = await chromium.openPage(serve.url, { viewport: { width: 1200, height: 800 } });
      const screen = page.getByTestId('recovery-screen');
      await screen.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('recovery-title').textContent()).toBe('The database is damaged');
      // Written for the owner: what happened, what is safe, what to do; the technical cause behind a disclosure.
      expect(await screen.locator('h2').allTextContents()).toEqual(['What happened', 'What is safe', 'What to do']);
      expect(await page.getByTestId('recovery-happened').textContent()).toMatch(/^The file that holds your library .* is damaged/);
      expect(await page.getByTestId('recovery-safe').textContent()).toMatch(/video files are not touched.*kept aside, never deleted/);
      const details = page.getByTestId('recovery-details');
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await page.getByTestId('recovery-detail').isVisible()).toBe(false);
      const visible = (await screen.innerText()).trim();
      expect(visible).not.toMatch(/sqlite|SQLITE|church |studio\.sqlite|ENO[A-Z]+/); // no file names, codes or commands until asked
      // One time format, the locale's, as the rest of the studio: the snapshot's time in the text and on the
      // button is Date.toLocaleString() of it, and no ISO time appears anywhere.
      const local = await page.evaluate((iso) => new Date(iso).toLocaleString(), snapshotAt);
      expect(await page.getByTestId('recovery-todo').textContent()).toContain(`as it was on ${local}`);
      const restore = page.getByTestId('recovery-choice-restore-newest');
      expect(await restore.textContent()).toBe(`Restore the snapshot of ${local}`);
      expect(await restore.evaluate((b) => b === document.activeElement)).toBe(true); // the first choice has the focus
      await details.locator('summary').click();
      expect(await page.getByTestId('recovery-snapshot').textContent()).toMatch(new RegExp(`^Newest verified snapshot${local.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} · [\\d.]+ [kMG]?B · on this computer \\(backups/\\d{8}-\\d{6}-\\d{3}\\)$`));
      expect(await page.getByTestId('recovery-detail').textContent()).toMatch(/studio\.sqlite.*\nFrom a terminal: church backups/s);
      expect(await screen.innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      // Every control is the design system's.
      expect(await bareControls(screen)).toEqual([]);
      expect(await page.getByTestId('recovery-choice-start-empty').textContent()).toBe('Keep it aside and start empty');
      expect(await page.getByTestId('recovery-choice-quit').textContent()).toBe('Quit');
      await page.screenshot({ path: screenshotPath('recovery-screen') });
      // Enter on the first choice restores.
      await restore.focus();
      await page.keyboard.press('Enter');
      await eventually(() => page.getByTestId('lib-item').count()).toBe(6);
      await page.getByText('connected (browser)').waitFor();
      expect(await page.getByTestId('recovery-screen').count()).toBe(0);
      const [kept] = readdirSync(join(dataDir, 'kept-aside'));
      expect(existsSync(join(dataDir, 'kept-aside', kept!, 'studio.sqlite'))).toBe(true);
      expect(serve.child.exitCode).toBeNull(); // the same process serves the restored studio
    } finally {
      await serve.stop();
    }
  }, 120_000);

  it('"keep it aside and start empty" opens an empty library and leaves the broken file in kept-aside/', async () => {
    const dataDir = await damagedStudio('church-e2e-keepaside-', 3);
    const broken = readFileSync(join(dataDir, 'studio.sqlite'));
    const serve = await startServe(dataDir, { CHURCH_NVIDIA_SMI: '' });
    try {
      const page = await chromium.openPage(serve.url, { viewport: { width: 1200, height: 800 } });
      await page.getByTestId('recovery-screen').waitFor({ timeout: 30_000 });
      await page.getByTestId('recovery-choice-start-empty').click();
      await page.getByTestId('lib-empty').waitFor({ timeout: 30_000 });
      const folders = readdirSync(join(dataDir, 'kept-aside'));
      expect(folders).toHaveLength(1);
      expect(readFileSync(join(dataDir, 'kept-aside', folders[0]!, 'studio.sqlite')).equals(broken)).toBe(true);
    } finally {
      await serve.stop();
    }
  }, 120_000);
});
