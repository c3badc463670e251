import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { church } from '../helpers/cli';
import { useStudioPage } from '../helpers/studioPage';

describe('Settings → Backups in the browser', () => {
  const studio = useStudioPage({ prefix: 'church-e2e-backup-', env: () => ({ CHURCH_NVIDIA_SMI: '' }) });
  const dataDir = studio.dataDir;

  it('"Back up now" shows the result and the snapshot; "Restore…" restores it now, without a restart', async () => {
    const page = await studio.openPage({ viewport: { width: 1400, height: 1100 } });
    await page.getByRole('button', { name: /Settings/ }).click();
    const section = page.getByTestId('backup-settings');
    await section.waitFor();
    await expect.poll(() => section.getByTestId('backup-status').textContent()).toContain('No backup yet');
    await section.getByTestId('backup-now').click();
    await expect.poll(() => section.getByTestId('backup-status').textContent(), { timeout: 30_000 }).toMatch(/✓ .*snapshot \d{8}-\d{6}-\d{3}/);
    const item = section.getByTestId('backup-list').locator('li').first();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toMatch(/manual, .* MB, verified/);
    await item.getByRole('button', { name: 'Restore…' }).click();
    await item.getByRole('button', { name: 'Restore now?' }).click();
    // The studio closes its database, restores, reopens; the page reloads onto it (the same church serve).
    await expect.poll(() => existsSync(join(dataDir, 'kept-aside')) && readdirSync(join(dataDir, 'kept-aside')).length, { timeout: 60_000 }).toBe(1);
    await page.getByText('connected (browser)').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('recovery-screen').count()).toBe(0);
    expect(existsSync(join(dataDir, 'restore-pending.json'))).toBe(false);
    expect(studio.serve.child.exitCode).toBeNull();
    const audit = await church(['audit', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(audit.stdout) as { action: string; ok: boolean }[]).toContainEqual(expect.objectContaining({ action: 'backup.restore', ok: true }));
  }, 90_000);
});
