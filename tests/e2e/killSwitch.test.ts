import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { makeStandins } from '../helpers/killSwitchStandins';
import { useStudioPage } from '../helpers/studioPage';
import { holdKillButton } from '../helpers/killButton';

describe('kill switch in the UI', () => {
  const standins = makeStandins();
  const studio = useStudioPage({
    prefix: 'church-e2e-kill-',
    // PATH holds only the stand-ins: whatever the UI does, no real docker, ip or systemctl can run.
    env: () => standins.env({}, { STANDIN_DOCKER_IDS: 'feedfacecafe' }),
    prepare: async (dataDir) =>
      writeFileSync(
        join(dataDir, 'killswitch-plan.json'),
        JSON.stringify({ version: 1, steps: [{ kind: 'docker-stop' }, { kind: 'network-down', interfaces: ['lab0'] }, { kind: 'power-off' }] }),
      ),
  });

  async function openKillSwitch(): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1280, height: 900 } });
    await page.getByRole('button', { name: /Kill switch/ }).click();
    await page.getByText('$ systemctl poweroff').first().waitFor();
    return page;
  }

  it('a short press does nothing and the countdown resets', async () => {
    const page = await openKillSwitch();
    await page.getByTestId('mode-dry-run').click();
    // The page's clock is driven by the test, so "short" means 300 ms of the page's time however loaded the machine is.
    // Installed clocks run in real time until paused; from here on the page's time moves only when the test says.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 5_000);
    const box = (await page.getByTestId('kill-button').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.clock.runFor(300);
    await expect.poll(async () => Number(await page.getByTestId('kill-button').getAttribute('data-progress'))).toBeGreaterThan(0);
    expect(await page.getByTestId('kill-countdown').textContent()).toContain('release to cancel');
    await page.screenshot({ path: screenshotPath('killswitch-holding') });
    await page.mouse.up();
    await page.clock.runFor(1000);
    await expect.poll(() => page.getByTestId('kill-button').getAttribute('data-progress')).toBe('0.00');
    await page.clock.runFor(3000);
    expect(await page.getByTestId('kill-report').count()).toBe(0);
    expect(standins.calls()).toEqual([]);
    await page.close();
  });

  it('a full hold in rehearsal mode runs the plan as a dry run and shows the report', async () => {
    const page = await openKillSwitch();
    await page.getByTestId('mode-dry-run').click();
    await holdKillButton(page, 2000);
    await expect.poll(() => page.getByTestId('kill-run-status').textContent()).toBe('completed');
    expect(await page.getByTestId('kill-report').textContent()).toContain('Rehearsal (dry run)');
    expect(await page.getByTestId('kill-step').count()).toBe(3);
    expect(await page.getByTestId('kill-report').getByText('rehearsed', { exact: true }).count()).toBe(3);
    expect(standins.calls()).toEqual([]);
    await page.screenshot({ path: screenshotPath('killswitch-dry-run') });
    await page.close();
  });

  it('a full hold in live mode runs the real plan (stand-in tools), reports it and flags it at the next start', async () => {
    const page = await openKillSwitch();
    await page.getByTestId('mode-live').click();
    await holdKillButton(page, 2000);
    await expect.poll(() => page.getByTestId('kill-run-status').textContent(), { timeout: 20_000 }).toBe('completed');
    expect(standins.calls()).toEqual([
      ['docker', 'ps', '-q'],
      ['docker', 'stop', '--time', '5', 'feedfacecafe'],
      ['ip', 'link', 'set', 'dev', 'lab0', 'down'],
      ['systemctl', 'poweroff'],
    ]);
    expect(await page.getByTestId('kill-report').getByText('done').count()).toBe(3);
    await page.screenshot({ path: screenshotPath('killswitch-report') });
    // Next start: the unseen report is the first thing shown, on any screen.
    await page.goto(studio.serve.url.replace(/\?token=.*/, '') + '#/studio');
    await page.getByTestId('kill-banner').waitFor();
    await page.getByRole('button', { name: 'View report' }).click();
    await page.getByRole('button', { name: 'Mark as seen' }).click();
    await expect.poll(() => page.getByTestId('kill-banner').count()).toBe(0);
    await page.close();
  });
});
