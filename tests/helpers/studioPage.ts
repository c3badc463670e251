import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll } from 'vitest';
import type { ContractClient } from '../../shared/contract/client';
import { launchChromium } from './browser';
import { startServe } from './cli';
import { tempDir } from './tempDir';
import { bearer, connectClient } from './wsClient';

type Serve = Awaited<ReturnType<typeof startServe>>;

export interface PageOptions {
  viewport?: { width: number; height: number };
  /**
   * Called with the new page before it loads (listeners that must see the load itself: console, pageerror; an
   * init script, awaited before the page loads).
   */
  beforeLoad?: (page: Page) => unknown;
  /** Wait until the status bar says the page is connected to the studio. */
  connected?: boolean;
}

export interface Chromium {
  /** The launched Chromium (throws before the block's beforeAll). */
  readonly browser: Browser;
  /** A new page on `url`, loaded. */
  openPage(url: string, opts?: PageOptions): Promise<Page>;
}

export interface StudioPage {
  /** The running `church serve` (its url carries the browser token). */
  readonly serve: Serve;
  readonly browser: Browser;
  readonly dataDir: string;
  /** A new Chromium page on the studio's UI, loaded. */
  openPage(opts?: PageOptions): Promise<Page>;
  /**
   * The contract client the CLI uses, attached to this studio as the owner (connected on first use, closed after
   * the block): what the page did can be read back from the studio, and its events awaited.
   */
  client(): Promise<ContractClient>;
}

async function openPageOn(browser: Browser, url: string, o: PageOptions): Promise<Page> {
  const page = await browser.newPage(o.viewport ? { viewport: o.viewport } : {});
  await o.beforeLoad?.(page);
  await page.goto(url);
  if (o.connected) await page.getByTestId('connection').filter({ hasText: /^connected \(browser\)$/ }).waitFor({ timeout: 30_000 });
  return page;
}

/**
 * A Chromium for one describe block, launched before the block's own beforeAll and closed after it: for tests
 * whose studio is not one `church serve` per block (a lab cluster's studio, a studio per test).
 */
export function useChromium(): Chromium {
  let browser: Browser | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const launched = (): Browser => {
    if (browser === null) throw new Error('Chromium is not launched yet');
    return browser;
  };
  return {
    get browser() {
      return launched();
    },
    openPage: (url, o = {}) => openPageOn(launched(), url, o),
  };
}

/**
 * The e2e tests' common setup for one describe block: `church serve` on a data dir and a Chromium to drive its UI,
 * both started before the block's own beforeAll (after `prepare`, which may seed the data dir) and closed after it.
 * Hooks of the test file registered before this call run before it starts and after it has stopped everything
 * (a fake Stripe or SMTP server the studio talks to). `timeoutMs` bounds the start, `prepare` included.
 */
export function useStudioPage(opts: { prefix?: string; env?: () => NodeJS.ProcessEnv; prepare?: (dataDir: string) => Promise<void>; timeoutMs?: number } = {}): StudioPage {
  const dataDir = tempDir(opts.prefix ?? 'church-e2e-');
  let serve: Serve | null = null;
  let browser: Browser | null = null;
  let client: Promise<ContractClient & { close(): void }> | null = null;
  beforeAll(async () => {
    await opts.prepare?.(dataDir);
    serve = await startServe(dataDir, opts.env?.() ?? {});
    browser = await launchChromium();
  }, opts.timeoutMs);
  afterAll(async () => {
    if (client) (await client.catch(() => null))?.close();
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
    openPage: (o = {}) => openPageOn(started('browser', browser), started('serve', serve).url, o),
    client() {
      if (!client) {
        const s = started('serve', serve);
        client = connectClient(`ws://127.0.0.1:${s.port}/ws`, bearer(new URL(s.url).searchParams.get('token')!));
      }
      return client;
    },
  };
}
