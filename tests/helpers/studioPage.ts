import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { startServe } from './cli';
import { tempDir } from './tempDir';

type Serve = Awaited<ReturnType<typeof startServe>>;

export interface StudioPage {
  /** The running `church serve` (its url carries the browser token). */
  readonly serve: Serve;
  readonly browser: Browser;
  readonly dataDir: string;
  /** A new Chromium page on the studio's UI, loaded. */
  openPage(opts?: { viewport?: { width: number; height: number } }): Promise<Page>;
}

/**
 * The e2e tests' common setup for one describe block: `church serve` on a data dir and a Chromium to drive its UI,
 * both started before the block's own beforeAll (after `prepare`, which may seed the data dir) and closed after it.
 */
export function useStudioPage(opts: { prefix?: string; env?: () => NodeJS.ProcessEnv; prepare?: (dataDir: string) => Promise<void> } = {}): StudioPage {
  const dataDir = tempDir(opts.prefix ?? 'church-e2e-');
  let serve: Serve | null = null;
  let browser: Browser | null = null;
  beforeAll(async () => {
    await opts.prepare?.(dataDir);
    serve = await startServe(dataDir, opts.env?.() ?? {});
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });
  const started = <T>(what: string, v: T | null): T => {
    if (v === null) throw new Error(`the studio page's ${what} is not started yet`);
    return v;
  };
  return {
    dataDir,
    get serve() {
      return started('serve', serve);
    },
    get browser() {
      return started('browser', browser);
    },
    async openPage(o = {}) {
      const page = await started('browser', browser).newPage(o.viewport ? { viewport: o.viewport } : {});
      await page.goto(started('serve', serve).url);
      return page;
    },
  };
}
