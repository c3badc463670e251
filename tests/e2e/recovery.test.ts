import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { damageTablePage, seedStudio } from '../helpers/backup';
import { screenshotPath } from '../helpers/browser';
import { startServe } from '../helpers/cli';
import { useChromium } from '../helpers/studioPage';
import { tempDir } from '../helpers/tempDir';

/** A studio with `items` library items and a verified snapshot of them, then its database damaged on disk. */
async function damagedStudio(prefix: string, items: number): Promise<string> {
  const dataDir = tempDir(prefix);
  const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
  try {
    seedStudio(host, items);
    const r = await host.backup.run({ restic: false });
    expect(r.ok, r.error ?? '').toBe(true);
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
      expect(await page.getByTestId('recovery-message').textContent()).toMatch(/studio\.sqlite is damaged .*kept aside, never deleted/);
      expect(await page.getByTestId('recovery-snapshot').textContent()).toMatch(/\d+\.\d MB · on this computer \(backups\/\d{8}-\d{6}-\d{3}\)/);
      const restore = page.getByTestId('recovery-choice-restore-newest');
      expect(await restore.textContent()).toMatch(/^Restore the snapshot of /);
      expect(await page.getByTestId('recovery-choice-start-empty').textContent()).toBe('Keep it aside and start empty');
      expect(await page.getByTestId('recovery-choice-quit').textContent()).toBe('Quit');
      await page.screenshot({ path: screenshotPath('recovery-screen') });
      // Enter on the focused first choice restores.
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
