import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { FakeStripe } from '../helpers/fakeStripe';
import { seedShop } from '../helpers/stripeShop';

describe('subscribers in the UI after a sync against the fake Stripe', () => {
  let browser: Browser;
  let serve: Awaited<ReturnType<typeof startServe>>;
  const fake = new FakeStripe();
  let key = '';

  beforeAll(async () => {
    await fake.start();
    seedShop(fake, { customers: 120, invoicesPerSub: 2 });
    key = fake.addKey({ permissions: 'all' }, 'live');
    serve = await startServe(tempDir('church-e2e-stripe-'), { STRIPE_API_BASE: fake.base, STRIPE_API_KEY: key, CHURCH_NO_ATTACH: '1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fake.stop();
  });

  async function openSubscribers(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(serve.url);
    await page.getByRole('button', { name: /Subscribers/ }).click();
    await page.getByTestId('sync-button').waitFor();
    return page;
  }

  it('syncs, then lists, searches, filters, sorts and opens a customer', async () => {
    const page = await openSubscribers();
    expect(await page.getByTestId('data-age').textContent()).toContain('never synced');
    await page.getByTestId('sync-button').click();
    await expect.poll(() => page.getByTestId('subscriber-row').count(), { timeout: 30_000 }).toBe(100);
    expect(await page.getByTestId('data-age').textContent()).toContain('synced just now');
    await expect.poll(() => page.getByTestId('last-sync').textContent()).toContain('Stripe synced just now');
    await page.screenshot({ path: screenshotPath('subscribers-table') });

    await page.getByTestId('filter-past_due').click();
    await expect.poll(() => page.getByTestId('subscriber-row').count()).toBe(12);
    for (const badge of await page.getByTestId('subscriber-row').locator('.sub-status').allTextContents()) expect(badge).toBe('past due');
    await page.getByTestId('filter-past_due').click();

    await page.getByTestId('subscriber-search').fill('sub10@example');
    await expect.poll(() => page.getByTestId('subscriber-row').count()).toBe(1);
    expect(await page.getByTestId('subscriber-row').first().textContent()).toContain('$120.00/year');
    await page.getByTestId('subscriber-search').fill('');

    await page.getByTestId('sort-name').click(); // desc
    await page.getByTestId('sort-name').click(); // asc
    await expect.poll(async () => (await page.getByTestId('subscriber-row').first().locator('td').first().textContent())?.trim()).toBe('Subscriber 0');

    await page.getByTestId('subscriber-row').first().click();
    await page.getByTestId('customer-page').waitFor();
    expect(await page.getByTestId('customer-page').textContent()).toContain('sub0@example.test');
    expect(await page.getByTestId('customer-invoices').locator('tr').count()).toBe(2);
    expect(await page.getByTestId('customer-charges').locator('tr').count()).toBe(1);
    expect(await page.getByTestId('customer-access').textContent()).toContain('free + subscriber items');
    await page.screenshot({ path: screenshotPath('subscribers-customer') });
    await page.getByTestId('customer-back').click();

    await page.getByTestId('tab-metrics').click();
    await page.getByTestId('metrics').waitFor();
    expect(await page.getByTestId('metric-mrr').textContent()).toMatch(/MRR\$[\d,]+\.\d\d/);
    expect(await page.getByTestId('metric-mrr').getAttribute('title')).toContain('turned into a monthly amount');
    expect(await page.getByTestId('chart-line').locator('circle').count()).toBe(12);
    await page.screenshot({ path: screenshotPath('subscribers-metrics') });

    expect(await page.content()).not.toContain(key);
    await page.close();
  });

  it('shows the key masked in Settings, with the read permissions to grant, and refuses an sk_ key', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('button', { name: /Settings/ }).click();
    await page.getByTestId('stripe-settings').waitFor();
    expect(await page.getByTestId('stripe-key-masked').textContent()).toBe(`rk_live_…${key.slice(-4)}`);
    const perms = await page.getByTestId('stripe-permissions').locator('li').allTextContents();
    expect(perms.join('|')).toContain('Customers: Read');
    expect(perms).toHaveLength(9);
    expect(await page.getByTestId('stripe-product-tiers').locator('tr').count()).toBe(2);
    await page.getByTestId('stripe-key-input').fill('sk_live_0123456789abcdefXYZ');
    await page.getByTestId('stripe-key-save').click();
    await page.getByText(/full secret key \(sk_…\), which can charge/).waitFor();
    expect(await page.getByTestId('stripe-key-masked').textContent()).toBe(`rk_live_…${key.slice(-4)}`);
    await page.getByTestId('stripe-settings').screenshot({ path: screenshotPath('subscribers-settings') });
    expect(await page.content()).not.toContain(key);
    await page.close();
  });
});
