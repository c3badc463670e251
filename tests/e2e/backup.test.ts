import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../helpers/browser';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

describe('Settings → Backups in the browser', () => {
  let browser: Browser;
  let serve: Awaited<ReturnType<typeof startServe>>;
  const dataDir = tempDir('church-e2e-backup-');

  beforeAll(async () => {
    serve = await startServe(dataDir, { CHURCH_NVIDIA_SMI: '' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('"Back up now" shows the result and the snapshot; "Restore…" schedules it for the next start', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(serve.url);
    await page.getByRole('button', { name: /Settings/ }).click();
    const section = page.getByTestId('backup-settings');
    await section.waitFor();
    await expect.poll(() => section.getByTestId('backup-status').textContent()).toContain('No backup yet');
    await section.getByTestId('backup-now').click();
    await expect.poll(() => section.getByTestId('backup-status').textContent(), { timeout: 30_000 }).toMatch(/✓ .*snapshot \d{8}-\d{6}-\d{3}/);
    const item = section.getByTestId('backup-list').locator('li').first();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toMatch(/manual, .* MB, verified/);
    await item.getByRole('button', { name: 'Restore…' }).click();
    await item.getByRole('button', { name: 'Restore on next start?' }).click();
    await section.getByTestId('backup-restore-pending').waitFor();
    expect(existsSync(join(dataDir, 'restore-pending.json'))).toBe(true);
  }, 90_000);
});
