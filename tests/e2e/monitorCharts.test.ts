import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { FixtureTree } from '../helpers/monitor';
import { useStudioPage } from '../helpers/studioPage';

/**
 * Issue 26, item 9, in Chromium through `church serve` on fixture /proc and /sys: the Monitor's charts show the
 * values at the crosshair with their units, speak one time format (the locale's) in the header, the axes and the
 * tooltip, say "no readings" without axes through the words, have one "Temperatures" card, leave virtual network
 * interfaces out until asked, draw series in distinct hues that read on both themes, and line up with the sensor
 * cards at 1920.
 */
describe('Monitor charts', () => {
  let cpuTimer: NodeJS.Timeout;
  // A CPU package sensor that reads -128 °C (an unplugged input): present, but never a reading.
  const f = FixtureTree.healthy({ pkgC: -128 });
  const netDev = (n: number) =>
    [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      ...['eth0', 'ifb0', 'virbr0'].map((iface, i) => `  ${iface}: ${5_000_000 + n * 40_000 * (i + 1)}   900    0    0    0     0          0         0 ${1_000_000 + n * 9_000 * (i + 1)}   800    0    0    0     0       0          0`),
    ].join('\n') + '\n';
  beforeAll(() => {
    let n = 0;
    f.write('proc/net/dev', netDev(0));
    cpuTimer = setInterval(() => {
      n++;
      f.runCpu([20 + (n % 5) * 10, 70, 35, 5]);
      f.write('proc/net/dev', netDev(n));
    }, 500);
  });
  afterAll(() => clearInterval(cpuTimer));
  const studio = useStudioPage({ prefix: 'church-e2e-charts-', env: () => ({ CHURCH_MONITOR_ROOT: f.root }) });

  let page: Page;
  beforeAll(async () => {
    page = await studio.openPage({ viewport: { width: 1920, height: 1080 }, connected: true });
    await page.getByRole('button', { name: /Monitor/ }).click();
    await page.getByTestId('chart-load').locator('canvas').first().waitFor({ timeout: 30_000 });
  });

  const eventually = <T,>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout });
  const hour12 = () => page.evaluate(() => new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hour12 === true);

  it('hovering a chart shows the time and every value with its unit, in the same clock as the header and the axes', async () => {
    const twelve = await hour12();
    const ampm = (s: string) => /[AP]M/i.test(s);
    const header = (await page.getByTestId('monitor-updated').textContent())!.split(' · ')[0]!;
    expect(ampm(header)).toBe(twelve);
    const chart = page.getByTestId('chart-load');
    await eventually(() => chart.locator('.monitor-chart-box').getAttribute('data-time-labels')).toBeTruthy();
    const labels = (await chart.locator('.monitor-chart-box').getAttribute('data-time-labels'))!.split('|');
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(ampm(l)).toBe(twelve);

    await eventually(async () => Number(await chart.getAttribute('data-points')), 30_000).toBeGreaterThan(2);
    const over = chart.locator('.u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
    const tip = page.getByTestId('chart-load-tip');
    await eventually(() => tip.isVisible()).toBe(true);
    const text = (await tip.textContent())!;
    expect(text).toMatch(/CPU load: (\d+\.\d %|n\/a)/);
    expect(ampm(text)).toBe(twelve);
    await page.screenshot({ path: screenshotPath('monitor-tooltip'), clip: { x: box.x - 80, y: box.y - 40, width: box.width + 100, height: box.height + 120 } });
    await page.mouse.move(0, 0);
    await eventually(() => tip.isVisible()).toBe(false);
  });

  it('a chart with no readings shows its message alone, without axes or gridlines through it', async () => {
    const temps = page.getByTestId('chart-temps');
    await temps.getByTestId('chart-temps-empty').waitFor();
    expect(await temps.getByTestId('chart-temps-empty').textContent()).toContain('No temperature sensor');
    expect(await temps.locator('canvas').count()).toBe(0);
    // One card called "Temperatures" (the chart); the sensor list is "Temperature sensors".
    expect(await page.locator('.monitor-screen h2').filter({ hasText: /^Temperatures$/ }).count()).toBe(1);
    expect(await page.getByTestId('card-temps').locator('h2').textContent()).toBe('Temperature sensors');
  });

  it('virtual interfaces are left out of the Network chart until the toggle shows them', async () => {
    const net = page.getByTestId('chart-net');
    await net.locator('canvas').first().waitFor();
    const legend = () => net.locator('.u-legend').textContent();
    expect(await legend()).toContain('eth0 in');
    expect(await legend()).not.toContain('ifb0');
    expect(await legend()).not.toContain('virbr0');
    await net.getByTestId('net-show-virtual').check();
    await eventually(legend).toContain('ifb0 in');
    expect(await legend()).toContain('virbr0 out');
  });

  it('series colours are distinct hues and read on the card in both themes', async () => {
    const net = page.getByTestId('chart-net');
    const measure = () =>
      net.evaluate((card) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: number[]) => {
          const [r, g, b] = c.map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const hue = ([r, g, b]: number[]) => {
          const [R, G, B] = [r! / 255, g! / 255, b! / 255];
          const max = Math.max(R, G, B);
          const d = max - Math.min(R, G, B);
          if (d === 0) return 0;
          const h = max === R ? ((G - B) / d) % 6 : max === G ? (B - R) / d + 2 : (R - G) / d + 4;
          return (h * 60 + 360) % 360;
        };
        const bg = rgb(getComputedStyle(card).backgroundColor);
        // The legend's rows of the interfaces' series (the time row has no colour of its own).
        const rows = [...card.querySelectorAll<HTMLElement>('.u-legend .u-series')].filter((r) => / (in|out)$/.test(r.querySelector('.u-label')?.textContent ?? ''));
        const colours = rows.map((r) => rgb(getComputedStyle(r.querySelector('.u-marker')!).borderColor));
        const contrast = colours.map((c) => {
          const [hi, lo] = [lum(c), lum(bg)].sort((x, y) => y - x);
          return (hi! + 0.05) / (lo! + 0.05);
        });
        const hues = colours.map(hue);
        let closest = 360;
        for (let i = 0; i < hues.length; i++) for (let j = i + 1; j < hues.length; j++) closest = Math.min(closest, Math.abs(hues[i]! - hues[j]!), 360 - Math.abs(hues[i]! - hues[j]!));
        return { n: colours.length, minContrast: Math.min(...contrast), closest };
      });
    await eventually(async () => (await measure()).n).toBe(6);
    const first = await measure();
    expect(first.minContrast).toBeGreaterThanOrEqual(3);
    expect(first.closest).toBeGreaterThanOrEqual(20);
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByTestId('theme-toggle').click();
    await eventually(() => page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(before);
    await eventually(async () => (await measure()).minContrast).toBeGreaterThanOrEqual(3);
    const second = await measure();
    expect(second.n).toBe(6);
    expect(second.closest).toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: screenshotPath(`monitor-charts-${before === 'dark' ? 'light' : 'dark'}`), fullPage: true });
    await page.getByTestId('theme-toggle').click();
    await eventually(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(before);
  });

  it('at 1920 the charts and the sensor cards share one grid: their edges line up', async () => {
    const edges = (sel: string) => page.locator(sel).evaluateAll((els) => els.map((el) => [Math.round(el.getBoundingClientRect().left), Math.round(el.getBoundingClientRect().right)] as const));
    const charts = await edges('.monitor-charts > .monitor-chart');
    const cards = await edges('.monitor-cards > .card');
    expect(charts.length).toBe(4);
    expect(cards.length).toBeGreaterThanOrEqual(4);
    const cardLefts = new Set(cards.map(([l]) => l));
    const cardRights = new Set(cards.map(([, r]) => r));
    for (const [l, r] of charts) {
      expect(cardLefts.has(l)).toBe(true);
      expect(cardRights.has(r)).toBe(true);
    }
    await page.screenshot({ path: screenshotPath('monitor-1920'), fullPage: true });
  });
});
