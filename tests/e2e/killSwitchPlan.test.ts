import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { resolveBinary } from '../../electron/platform/media';
import { screenshotPath } from '../helpers/browser';
import { church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useStudioPage } from '../helpers/studioPage';
import { holdKillButton } from '../helpers/killButton';

// The kill switch screen read top to bottom: the button, then the plan it runs; a rehearsal that names what it
// would stop (a running job and its ffmpeg PID); a step editor whose plan is the one the studio keeps. A rehearsal
// runs nothing, so no stand-in tools are needed; ffmpeg is paced (-re) so the job is still running when rehearsed.
describe('kill switch plan and rehearsal', () => {
  const media = tempDir('church-e2e-killplan-media-');
  const wrapper = join(media, 'ffmpeg');
  const studio = useStudioPage({
    prefix: 'church-e2e-killplan-',
    env: () => ({ FFMPEG_PATH: wrapper }),
    prepare: async (dataDir) => {
      const clip = await makeClip(join(media, 'long.mp4'), { seconds: 30 });
      const imported = await church(['import', clip, '--no-assets', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
      if (imported.code !== 0) throw new Error(imported.stderr);
      writeFileSync(wrapper, `#!/bin/sh\nexec "${resolveBinary('ffmpeg').path}" -re "$@"\n`);
      chmodSync(wrapper, 0o755);
      writeFileSync(
        join(dataDir, 'killswitch-plan.json'),
        JSON.stringify({ version: 1, steps: [{ kind: 'stop-jobs' }, { kind: 'network-down', interfaces: ['lab0', 'lab1'] }, { kind: 'power-off', enabled: false }] }),
      );
    },
  });

  async function openKillSwitch(): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('button', { name: /Kill switch/ }).click();
    await page.getByTestId('kill-plan-steps').waitFor();
    return page;
  }

  it('shows the plan below the button, counts "2 steps", and keeps Rehearse out of danger-red', async () => {
    const page = await openKillSwitch();
    expect(await page.getByTestId('kill-step-count').textContent()).toBe('2 steps');
    const button = (await page.getByTestId('kill-button').boundingBox())!;
    const plan = (await page.getByTestId('kill-plan-steps').boundingBox())!;
    expect(plan.y).toBeGreaterThan(button.y + button.height);
    const background = () => page.getByTestId('kill-button').evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(await background()).toContain('rgb(255, 90, 106)'); // live: the danger red
    await page.getByTestId('mode-dry-run').click();
    expect(await background()).not.toContain('rgb(255, 90, 106)');
    await page.close();
  });

  it('a rehearsal names the running job, its ffmpeg PID and the interfaces, one wording per step', async () => {
    const client = await studio.client();
    const job = await client.call('jobs.enqueue', { videoId: 1, preset: 'web-720', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    // Progress comes from ffmpeg itself, so its process (and PID) is recorded by then.
    await expect.poll(async () => (await client.call('jobs.get', { id: job.id })).progress?.percent ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    const page = await openKillSwitch();
    await page.getByTestId('mode-dry-run').click();
    await holdKillButton(page, 2000);
    await expect.poll(() => page.getByTestId('kill-run-status').textContent(), { timeout: 20_000 }).toBe('completed');
    const steps = page.getByTestId('kill-report').getByTestId('kill-step');
    await expect.poll(() => steps.nth(0).getByTestId('kill-targets').textContent()).toMatch(new RegExp(`running job #${job.id} \\(web-720 of video #1\\), ffmpeg PID \\d+`));
    expect(await steps.nth(0).getByTestId('kill-step-note').textContent()).toBe('Would stop:');
    expect(await steps.nth(1).getByTestId('kill-targets').textContent()).toBe('interface lab0interface lab1');
    expect(await steps.nth(1).getByTestId('kill-step-note').textContent()).toBe('Would bring down:');
    await page.screenshot({ path: screenshotPath('killswitch-rehearsal-targets') });
    // A rehearsal stops nothing.
    expect((await client.call('jobs.get', { id: job.id })).status).toBe('running');
    await client.call('jobs.cancel', { id: job.id });
    await page.close();
  });

  it('a step added, moved up and timed in the editor is saved; a bad timeout is refused inline first', async () => {
    const page = await openKillSwitch();
    const editor = page.getByTestId('plan-step-editor');
    await editor.getByTestId('step-add-kind').selectOption('alert');
    await editor.getByTestId('step-add').click();
    const rows = editor.getByTestId('step-editor-row');
    expect(await rows.count()).toBe(4);
    await editor.getByRole('button', { name: 'Move step 4 up' }).click();
    await editor.getByRole('button', { name: 'Move step 3 up' }).click();
    expect(await rows.nth(1).getAttribute('data-kind')).toBe('alert');
    await rows.nth(1).getByTestId('step-timeout').fill('0');
    expect(await rows.nth(1).getByTestId('step-error').textContent()).toBe('Timeout must be a number of seconds from 0.1 to 600.');
    expect(await editor.getByTestId('plan-save').isDisabled()).toBe(true);
    await rows.nth(1).getByTestId('step-timeout').fill('4.5');
    expect(await rows.nth(1).getByTestId('step-error').count()).toBe(0);
    await rows.nth(2).getByTestId('step-enabled').uncheck(); // network-down, now third
    await editor.getByTestId('plan-save').click();
    await editor.getByTestId('plan-saved').waitFor();
    // The plan the studio keeps (what `church kill` runs) is the edited one.
    const info = await (await studio.client()).call('killswitch.getPlan', {});
    expect(info.plan.steps.map((s) => s.kind)).toEqual(['stop-jobs', 'alert', 'network-down', 'power-off']);
    expect(info.plan.steps[1]!.timeoutMs).toBe(4500);
    expect(info.plan.steps[2]!.enabled).toBe(false);
    // …and the plan shown above the editor follows it.
    expect(await page.getByTestId('kill-step-count').textContent()).toBe('2 steps');
    expect(await page.getByTestId('kill-plan-step').nth(1).textContent()).toMatch(/^Send an alert/);
    await page.screenshot({ path: screenshotPath('killswitch-step-editor'), fullPage: true });
    await page.close();
  });
});
