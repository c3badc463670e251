import { Redis } from 'ioredis';
import type { Page } from 'playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLabSecret } from '../../electron/domains/lab/config';
import { studioKeys } from '../../electron/domains/lab/identity';
import { readAgents } from '../../electron/domains/lab/labStatus';
import { screenshotPath } from '../helpers/browser';
import { bareControls } from '../helpers/designSystem';
import { nodeExporterAvailable, recordedPage, serveOn, startNodeExporter } from '../helpers/nodeExporter';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster } from '../helpers/lab';
import { useChromium } from '../helpers/studioPage';
import { waitFor } from '../helpers/waitFor';

// The Lab screen in Chromium through `church serve`, with real parts: Debian's redis-server, a real `church agent`
// (real ffmpeg behind its encoder tests) and a node_exporter target (Debian's prometheus-node-exporter when
// installed, else a real HTTP server serving a recorded node_exporter page).
if (!nodeExporterAvailable()) console.log('Lab screen e2e: no prometheus-node-exporter installed; the target serves a recorded node_exporter page instead');

const LAB_ENV = { CHURCH_LAB_LISTEN: '127.0.0.1:0', CHURCH_LAB_ADVERTISE: '127.0.0.1', CHURCH_NVIDIA_SMI: '' };

describeWithRedis('Lab screen in the browser: settings, an agent and its pause switch, a node_exporter host', () => {
  let target: { url: string; stop(): Promise<void> };
  // Registered before the cluster: vitest runs after-hooks in reverse, so the target stops after the studio.
  afterAll(async () => {
    await target?.stop();
  });
  const cluster = useLabCluster('church-e2e-lab-');
  const chromium = useChromium();

  beforeAll(async () => {
    if (nodeExporterAvailable()) {
      target = await startNodeExporter();
    } else {
      const s = await serveOn((res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(recordedPage());
      });
      target = { url: `${s.url}/metrics`, stop: s.close };
    }
  });

  const openLab = async (page: Page) => {
    await page.getByRole('button', { name: /Lab/ }).first().click();
    await page.getByRole('heading', { name: 'Lab', level: 1 }).waitFor();
  };

  it('turns the lab on in Settings (applied without a restart), shows the agent, pauses it, and lists the node_exporter host', async () => {
    // The lab is off in the environment: Settings turns it on.
    const studio = await cluster.startStudio({ lab: false, env: LAB_ENV });
    const page = await chromium.openPage(studio.url, { viewport: { width: 1400, height: 1100 } });
    const { redis, secret } = cluster;
    await page.getByRole('button', { name: /Settings/ }).click();
    const section = page.getByTestId('settings-lab');
    await section.waitFor();
    expect(await section.getByTestId('lab-source').textContent()).toContain('The lab is off');
    expect(await section.getByTestId('lab-password-state').textContent()).toBe('not set');
    await section.getByLabel('Redis URL').fill(redis.url);
    await section.getByLabel('Lab secret file').fill(secret);
    await section.getByLabel('node_exporter targets').fill(target.url);
    await section.getByLabel('Scrape every (s)').fill('5');
    await section.getByLabel('Scrape timeout (s)').fill('5');
    await section.getByTestId('lab-enabled').check();
    await section.getByTestId('lab-save').click();
    // Redis follows at the next start or on Apply now (said so); the targets at once.
    await section.getByTestId('lab-restart').waitFor();
    expect(await section.getByTestId('lab-source').textContent()).toContain('The lab is off');

    await openLab(page);
    const row = page.getByTestId('lab-target');
    await expect.poll(() => row.getByTestId('lab-target-state').textContent(), { timeout: 60_000 }).toBe('up');
    expect(await row.textContent()).toContain(target.url);

    // Apply now: the same serve reopens its services on the lab from Settings (the page stays; the studio shows
    // that it is applying, then comes back where it was); an agent announces itself to it.
    await page.getByRole('button', { name: /Settings/ }).click();
    await section.getByTestId('lab-apply').click();
    await expect.poll(() => section.getByTestId('lab-source').textContent({ timeout: 2000 }).catch(() => ''), { timeout: 60_000 }).toContain('The lab is on, from these settings');
    await expect.poll(() => section.getByTestId('lab-restart').count()).toBe(0);
    await cluster.startAgent('alpha');
    await openLab(page);
    const alpha = page.getByTestId('agent-alpha');
    await alpha.waitFor({ timeout: 60_000 });
    await expect.poll(() => alpha.locator('.badge').textContent(), { timeout: 30_000 }).toBe('idle');
    expect(await alpha.textContent()).toContain('libx264');
    await expect.poll(() => row.getByTestId('lab-target-state').textContent(), { timeout: 60_000 }).toBe('up');
    await page.screenshot({ path: screenshotPath('lab'), fullPage: true });
    // The agents' pause switches and the rest of the screen are the design system's controls.
    expect(await bareControls(page.locator('.content'))).toEqual([]);

    // The pause switch: the agent itself reports paused (its own announcement in Redis), and the screen shows it.
    const conn = new Redis(redis.url);
    const keys = studioKeys(readLabSecret(secret));
    try {
      await alpha.getByRole('switch', { name: 'Pause alpha' }).click();
      await waitFor('alpha to report paused', async () => (await readAgents(conn, keys)).find((a) => a.announcement.name === 'alpha')?.announcement.paused === true, 30_000);
      await expect.poll(() => alpha.locator('.badge').textContent(), { timeout: 30_000 }).toBe('paused');
      await alpha.getByRole('switch', { name: 'Pause alpha' }).click();
      await waitFor('alpha to report resumed', async () => (await readAgents(conn, keys)).find((a) => a.announcement.name === 'alpha')?.announcement.paused === false, 30_000);
      await expect.poll(() => alpha.locator('.badge').textContent(), { timeout: 30_000 }).toBe('idle');
    } finally {
      conn.disconnect();
    }

    // The node_exporter host is a monitor host too: in the Monitor screen's lab overview, like an agent.
    const targetHost = (await row.locator('th').evaluate((el) => el.firstChild?.textContent ?? '')).trim();
    expect(targetHost).not.toBe('');
    await page.getByRole('button', { name: /Monitor/ }).first().click();
    await page.getByTestId(`lab-host-${targetHost}`).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('host-picker').locator('option').allTextContents()).toContain(targetHost);
  });
});
