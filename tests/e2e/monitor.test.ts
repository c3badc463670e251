import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { FixtureTree, GPU_LINE_HOT, makeNvidiaSmiStreamStandin } from '../helpers/monitor';
import { useStudioPage } from '../helpers/studioPage';

describe('Monitor screen in the browser (church serve + Chromium)', () => {
  let cpuTimer: NodeJS.Timeout;
  // A hot lab box as fixture files: the served studio samples them every second, as it would /proc and /sys.
  const f = FixtureTree.healthy({ pkgC: 95 });
  // The sampling studio keeps one `nvidia-smi -lms` running, so the stand-in streams like the real looping mode.
  const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT]);
  // The CPU counters move before the studio starts (its first samples see a busy machine), until the block ends.
  beforeAll(() => {
    let n = 0;
    cpuTimer = setInterval(() => f.runCpu([20 + (n++ % 5) * 10, 70, 35, 5]), 500);
  });
  afterAll(() => clearInterval(cpuTimer));
  const studio = useStudioPage({ prefix: 'church-e2e-monitor-', env: () => ({ CHURCH_MONITOR_ROOT: f.root, CHURCH_NVIDIA_SMI: smi.bin }) });

  async function openMonitor(): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1400, height: 1000 } });
    await page.getByRole('button', { name: /Monitor/ }).click();
    await page.getByTestId('card-temps').waitFor();
    return page;
  }

  it('shows live sensor cards and charts that grow with every sample', async () => {
    const page = await openMonitor();
    const temps = page.getByTestId('card-temps');
    await expect.poll(() => temps.textContent()).toContain('Package id 0');
    expect(await temps.textContent()).toContain('95.0 °C');
    // The GPUs come from their own streaming reader, which may answer after the first CPU sample.
    await expect.poll(() => temps.getByText('GPU 0 NVIDIA GeForce RTX 4090 temperature').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('card-gpus').textContent(), { timeout: 20_000 }).toContain('421 W');
    // Every chart is drawn by uPlot on a canvas, with a legend naming its series.
    for (const id of ['chart-temps', 'chart-load', 'chart-memory', 'chart-net']) {
      await page.getByTestId(id).locator('canvas').first().waitFor();
    }
    expect(await page.getByTestId('chart-temps').locator('.u-legend').textContent()).toContain('Package id 0');

    // Live: a new temperature in the fixture reaches the card within a couple of samples.
    f.setTemp('hwmon0', 'temp1', 97);
    await expect.poll(() => temps.textContent(), { timeout: 10_000 }).toContain('97.0 °C');
    const first = await page.getByTestId('monitor-updated').textContent();
    await expect.poll(() => page.getByTestId('monitor-updated').textContent(), { timeout: 5000 }).not.toBe(first);
    await expect.poll(() => page.getByTestId('card-cpu').textContent(), { timeout: 5000 }).toMatch(/CPU load\d+\.\d %/);
    // The chart's data grows as samples arrive.
    const points = async () => Number(await page.getByTestId('chart-temps').getAttribute('data-points'));
    const before = await points();
    expect(before).toBeGreaterThan(0);
    await expect.poll(points, { timeout: 5000 }).toBeGreaterThan(before);
    await page.getByTestId('range-1h').click();
    await expect.poll(points, { timeout: 5000 }).toBeGreaterThanOrEqual(before);
    await page.screenshot({ path: screenshotPath('monitor-live'), fullPage: true });
    await page.close();
  });

  it('a rule edited in the UI fires an alert that shows in the alert history', async () => {
    const page = await openMonitor();
    await page.getByText('Rules, e-mail and Prometheus').click();
    const forInput = page.getByLabel('rule cpu-temp for');
    await forInput.fill('1');
    await page.getByTestId('monitor-save').click();
    await expect.poll(() => page.getByTestId('monitor-save').isDisabled()).toBe(true);
    // The fixture's hot GPU fires its own rule too, at a moment of its own: pick the CPU rule's row by what it
    // says, never by its place in the history.
    const row = page.getByTestId('alert-row').filter({ hasText: 'Package id 0' }).first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toMatch(/critical.*Package id 0/);
    expect(await row.textContent()).toContain('desktop notification');
    await page.screenshot({ path: screenshotPath('monitor-alert'), fullPage: true });
    await page.close();
  });
});
