import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { createHost } from '../../electron/host/createHost';
import { damageTablePage, seedStudio } from '../helpers/backup';
import { startServe } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { useStudioPage } from '../helpers/studioPage';
import { tempDir } from '../helpers/tempDir';

/** axe-core's browser build, injected into the page under test (a dev dependency, never shipped). */
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['dark', 'light'] as const;

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it stands; returns the serious and critical violations, one line each. */
async function seriousViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    type Check = { message: string };
    type Node = { target: unknown[]; any: Check[]; all: Check[]; none: Check[] };
    type Violation = { id: string; impact?: string | null; help: string; nodes: Node[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    // Each element with the first reason axe gives (a contrast ratio and its colours, a missing name).
    const describe = (n: Node) => `${n.target.map(String).join(' ')}: ${[...n.any, ...n.all, ...n.none][0]?.message ?? ''}`;
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 8).map(describe) }));
  });
}

/**
 * Checks the page in both themes at both sizes, in place (the state under test is kept: a dialog stays open, the
 * pane stays on its video). Colour transitions are switched off so contrast is measured on the final colours.
 */
async function checkEveryLook(page: Page, where: string): Promise<string[]> {
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  const theme = await page.evaluate(() => document.documentElement.dataset.theme ?? 'dark');
  // A finding seen in several looks is reported once, with the looks it was seen in.
  const looks = new Map<string, string[]>();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const t of THEMES) {
      await page.evaluate((x) => (document.documentElement.dataset.theme = x), t);
      for (const v of await seriousViolations(page)) {
        const key = `${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`;
        looks.set(key, [...(looks.get(key) ?? []), `${t} ${size.width}×${size.height}`]);
      }
    }
  }
  await page.setViewportSize(SIZES[0]);
  await page.evaluate((x) => (document.documentElement.dataset.theme = x), theme);
  return [...looks].map(([key, seen]) => `${where} (${seen.join(', ')}): ${key}`);
}

function expectClean(found: string[]): void {
  // Every finding in one message: id, impact, what to do (axe's help) and the elements, so a failure says where.
  expect(found.length, `axe-core found serious or critical violations:\n${found.join('\n')}\n`).toBe(0);
}

/**
 * Accessibility measured (issue #26): axe-core finds no serious or critical violation on any screen of the studio,
 * in both themes, at 1280×800 and 1920×1080, through `church serve` in Chromium. One page visits every screen and
 * switches theme and size in place.
 */
describe('accessibility: axe-core on every screen, both themes, both sizes', () => {
  const media = tempDir('church-a11y-media-');
  let firstId = 0;
  const studio = useStudioPage({
    prefix: 'church-e2e-a11y-',
    timeoutMs: 180_000,
    prepare: async (dataDir) => {
      await makeClip(join(media, 'Morning Hymn.mp4'), { seconds: 3, width: 320, height: 180, extra: ['-g', '25'] });
      await makeClip(join(media, 'Evening Psalm.mp4'), { seconds: 2, width: 240, height: 320, audio: false });
      await makeClip(join(media, 'Quiet Prayer.mp4'), { seconds: 2, width: 320, height: 240 });
      const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
      const imported = (await host.dispatch('library.import', { paths: [media], assets: true }, { actor: 'cli' })) as Result<ImportSummary>;
      expect(imported.ok && imported.value.imported).toBe(3);
      const all = (await host.dispatch('library.search', { limit: 10 }, { actor: 'cli' })) as Result<VideoPage>;
      const first = all.ok ? all.value.items.find((v) => v.title === 'Morning Hymn') : undefined;
      firstId = first!.id;
      await host.dispatch('library.update', { id: firstId, patch: { rating: 4, favourite: true, tags: ['hymn', 'morning'] } }, { actor: 'cli' });
      await host.close();
    },
  });
  let page: Page;

  beforeAll(async () => {
    // A finished job, so the Jobs screen shows a row with its output.
    const client = await studio.client();
    const job = await client.call('jobs.enqueue', { videoId: firstId, preset: 'web-720' });
    await client.followJob(job.id);
    page = await openWithoutCsp(studio.serve.url);
    await page.getByTestId('connection').filter({ hasText: /^connected \(browser\)$/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('lib-item').first().waitFor();
  }, 120_000);

  /** The studio's CSP refuses inline scripts, as it should; axe and the test's style are let in by the test's page only. */
  const openWithoutCsp = async (url: string): Promise<Page> => {
    const p = await studio.browser.newPage({ viewport: SIZES[0], bypassCSP: true });
    await p.goto(url);
    return p;
  };

  const go = async (label: RegExp, screen: string) => {
    await page.locator('nav.sidebar').getByRole('button', { name: label }).click();
    await page.getByTestId(`screen-${screen}`).waitFor();
    // Let the screen load its data (tables, charts) before checking it.
    await page.waitForLoadState('networkidle').catch(() => undefined);
  };

  it('the Library: grid, list, import panel, a toast, selection bar, quick pane, video page and the ? overlay', async () => {
    const found: string[] = [];
    await page.getByTestId('view-grid').click();
    found.push(...(await checkEveryLook(page, 'Library grid')));
    await page.getByTestId('view-list').click();
    await page.getByTestId('lib-item').first().waitFor();
    found.push(...(await checkEveryLook(page, 'Library list')));
    await page.getByTestId('view-grid').click();
    await page.getByTestId('import-open').click();
    found.push(...(await checkEveryLook(page, 'Library import panel')));
    // A refused path: an error toast, with its advice, over the grid.
    await page.getByTestId('import-path').fill('clips/relative');
    await page.getByTestId('import-submit').click();
    await page.getByTestId('toast').first().waitFor();
    found.push(...(await checkEveryLook(page, 'Error toast')));
    await page.getByTestId('import-open').click();
    const card = page.locator(`[data-testid="lib-item"][data-id="${firstId}"]`);
    await card.click({ modifiers: ['Control'] });
    found.push(...(await checkEveryLook(page, 'Library selection bar')));
    await page.keyboard.press('Escape');
    await card.click();
    await page.getByTestId('lib-detail').getByTestId('player-stage').waitFor();
    found.push(...(await checkEveryLook(page, 'Library quick pane')));
    await card.dblclick();
    await page.getByTestId('video-page').waitFor();
    await page.getByTestId('video-page').locator('video').waitFor();
    found.push(...(await checkEveryLook(page, 'Video page')));
    await page.keyboard.press('Escape');
    await page.getByTestId('video-page').waitFor({ state: 'detached' });
    await page.mouse.click(640, 5);
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-overlay').waitFor();
    found.push(...(await checkEveryLook(page, 'The ? overlay')));
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached' });
    expectClean(found);
  }, 180_000);

  it('Jobs (with a finished job), Monitor, Subscribers, Lab, Kill switch, Settings and System', async () => {
    const found: string[] = [];
    await go(/Jobs/, 'jobs');
    await page.getByTestId('job-row').first().waitFor();
    found.push(...(await checkEveryLook(page, 'Jobs')));
    await go(/Monitor/, 'monitor');
    found.push(...(await checkEveryLook(page, 'Monitor')));
    await go(/Subscribers/, 'subscribers');
    found.push(...(await checkEveryLook(page, 'Subscribers')));
    await go(/Lab/, 'lab');
    found.push(...(await checkEveryLook(page, 'Lab')));
    await go(/Kill switch/, 'killswitch');
    found.push(...(await checkEveryLook(page, 'Kill switch (live)')));
    await page.getByTestId('mode-dry-run').click();
    found.push(...(await checkEveryLook(page, 'Kill switch (rehearse)')));
    await page.getByTestId('mode-live').click();
    // Settings holds every section (Backups among them) on one screen.
    await go(/Settings/, 'settings');
    found.push(...(await checkEveryLook(page, 'Settings')));
    await go(/System/, 'studio');
    found.push(...(await checkEveryLook(page, 'System')));
    expectClean(found);
  }, 240_000);

  describe('the recovery screen (a studio whose database is damaged)', () => {
    let serve: Awaited<ReturnType<typeof startServe>> | null = null;
    afterAll(async () => {
      await serve?.stop();
    });

    it('has no serious or critical violation', async () => {
      const dataDir = tempDir('church-e2e-a11y-recover-');
      const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
      try {
        seedStudio(host, 3);
        const r = await host.backup.run({ restic: false });
        expect(r.ok, r.error ?? '').toBe(true);
      } finally {
        await host.close();
      }
      damageTablePage(join(dataDir, 'studio.sqlite'));
      serve = await startServe(dataDir, { CHURCH_NVIDIA_SMI: '' });
      const recovery = await openWithoutCsp(serve.url);
      await recovery.getByTestId('recovery-screen').waitFor({ timeout: 30_000 });
      // The snapshot and the technical cause sit behind the details disclosure: open it, so they are checked too.
      await recovery.getByTestId('recovery-details').locator('summary').click();
      await recovery.getByTestId('recovery-snapshot').waitFor();
      expectClean(await checkEveryLook(recovery, 'Recovery screen'));
      await recovery.close();
    }, 120_000);
  });
});
