import { describe, expect, it } from 'vitest';
import { screenshotPath } from '../helpers/browser';
import { useStudioPage } from '../helpers/studioPage';

describe('browser mode in Chromium', () => {
  const studio = useStudioPage({ prefix: 'church-e2e-' });

  it('opens the studio from the printed URL and round-trips contract calls', async () => {
    const consoleErrors: string[] = [];
    const page = await studio.openPage({
      viewport: { width: 1280, height: 800 },
      beforeLoad: (p) =>
        p.on('console', (m) => {
          if (m.type() === 'error') consoleErrors.push(m.text());
        }),
    });
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('connected (browser)');
    await page.getByRole('button', { name: 'System' }).click();
    // The doctor report arrives through the WebSocket contract and names the real ffmpeg.
    await page.getByTestId('bin-ffmpeg').getByText(/\d/).first().waitFor();
    expect(await page.getByTestId('bin-ffprobe').textContent()).toMatch(/ffprobe/);
    expect(await page.getByTestId('data-dir').textContent()).toContain('church-e2e-');
    // The token has been traded for a cookie and removed from the address bar.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: screenshotPath('studio') });
    // The built page carries a strict CSP (no inline scripts, media only from the app or church-media:), and
    // nothing the studio does violates it: a violation would be one of the console errors.
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(consoleErrors, consoleErrors.join("\n")).toEqual([]);
    await page.close();
  });

  it('persists a preference through main and shows it after a reload', async () => {
    const page = await studio.openPage();
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('connected (browser)');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toMatch(/dark|light/);
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByTestId('theme-toggle').click();
    const after = before === 'dark' ? 'light' : 'dark';
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(after);
    // Wait until main has stored it (the audit log shows the call), then reload.
    await page.getByRole('button', { name: 'System' }).click();
    await page.getByRole('button', { name: /check again/i }).click();
    await page.getByText('Settings: appearance changed').first().waitFor();
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(after);
    await page.screenshot({ path: screenshotPath(`studio-${after}`) });
    await page.close();
  });

  it('without the token it says how to get in, and the token never becomes a cookie', async () => {
    const ctx = await studio.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${studio.serve.port}/`);
    await page.getByTestId('token-missing').waitFor();
    expect(await page.textContent('body')).toContain('church serve');
    // With the token: the studio connects, keeps the token in this tab's session storage, and sets no cookie.
    await page.goto(studio.serve.url);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 }).toBe('connected (browser)');
    expect(page.url()).not.toContain('token=');
    expect(await ctx.cookies()).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.getItem('church-token'))).toBe(new URL(studio.serve.url).searchParams.get('token'));
    await ctx.close();
  });
});
