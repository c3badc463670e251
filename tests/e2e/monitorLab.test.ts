import { beforeAll, expect, it } from 'vitest';
import { screenshotPath } from '../helpers/browser';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster, type AgentProc, type Studio } from '../helpers/lab';
import { useChromium } from '../helpers/studioPage';
import { waitFor } from '../helpers/waitFor';
import { FixtureTree } from '../helpers/monitor';

// The Monitor screen with a lab: real Redis, `church serve` as the studio, one real `church agent` whose sampler
// reads a hot fixture tree (as it would read its host's /proc and /sys), Chromium on the served UI.

describeWithRedis('Monitor screen: host picker, lab overview and per-host rules (browser mode)', () => {
  const cluster = useLabCluster('church-e2e-monlab-');
  const chromium = useChromium();
  let studio: Studio;
  let agent: AgentProc;
  const hot = FixtureTree.healthy({ pkgC: 93 });

  beforeAll(async () => {
    studio = await cluster.startStudio();
    agent = await cluster.startAgent('gpu-box', { extra: ['--sample-ms', '500'], env: { CHURCH_MONITOR_ROOT: hot.root } });
  }, 180_000);

  it('lists the agent\'s host with its figures, shows its sensors when picked, and offers it in the rule editor', async () => {
    // The agent's first samples have reached the studio (said with the agent's log if not).
    await waitFor('gpu-box in monitor.hosts', async () => (await studio.call<{ host: string | null }[]>('monitor.hosts', {})).some((h) => h.host === 'gpu-box')).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; agent log: ${agent.stderr()}`);
    });
    const page = await chromium.openPage(studio.url, { viewport: { width: 1400, height: 1000 } });
    await page.getByRole('button', { name: /Monitor/ }).click();
    const row = page.getByTestId('lab-host-gpu-box');
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('93 °C');
    expect(await row.textContent()).toContain('online');
    expect(await page.getByTestId('lab-host-local').textContent()).toMatch(/This machine \(/);

    await page.getByTestId('host-picker').selectOption('gpu-box');
    await expect.poll(() => page.getByTestId('card-temps').textContent(), { timeout: 30_000 }).toContain('93.0 °C');
    await page.getByTestId('chart-temps').locator('canvas').first().waitFor();
    await page.screenshot({ path: screenshotPath('monitor-lab'), fullPage: true });
    // Back to this machine with the overview's first row (keyboard works too).
    await page.getByTestId('lab-host-local').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('host-picker').inputValue()).toBe('');

    await page.getByText('Rules, e-mail and Prometheus').click();
    const hostSelect = page.getByLabel('rule cpu-temp host');
    expect(await hostSelect.locator('option').allTextContents()).toEqual(['This machine', 'Any host', 'gpu-box']);
    await hostSelect.selectOption('*');
    await page.getByRole('button', { name: 'Save rules and alerts' }).click();
    await expect.poll(async () => (await studio.call<{ rules: { id: string; host?: string }[] }>('monitor.getSettings', {})).rules.find((r) => r.id === 'cpu-temp')?.host).toBe('*');
    // The any-host rule fires for the hot agent host and names it (CPU 93 °C ≥ warn 80 °C for 10 s).
    await expect.poll(() => page.getByTestId('alert-history').textContent(), { timeout: 60_000 }).toContain('gpu-box: ');
    await page.close();
  }, 240_000);
});
