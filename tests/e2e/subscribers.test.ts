import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { screenshotPath } from '../helpers/browser';
import { bareControls } from '../helpers/designSystem';
import { useStudioPage } from '../helpers/studioPage';
import { FakeStripe } from '../helpers/fakeStripe';
import { seedShop } from '../helpers/stripeShop';

describe('subscribers in the UI after a sync against the fake Stripe', () => {
  const fake = new FakeStripe();
  let key = '';
  // Registered before the studio: the fake Stripe starts before it and stops after it.
  beforeAll(async () => {
    await fake.start();
    seedShop(fake, { customers: 120, invoicesPerSub: 2 });
    key = fake.addKey({ permissions: 'all' }, 'live');
  });
  afterAll(async () => {
    await fake.stop();
  });
  const studio = useStudioPage({ prefix: 'church-e2e-stripe-', env: () => ({ STRIPE_API_BASE: fake.base, STRIPE_API_KEY: key, CHURCH_NO_ATTACH: '1' }) });

  async function openSubscribers(): Promise<Page> {
    const page = await studio.openPage({ viewport: { width: 1360, height: 900 } });
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
    // The table's search, filters, sort headers, export and pager are the design system's, not bare controls.
    expect(await bareControls(page.locator('.subscribers-screen'))).toEqual([]);

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
    const page = await studio.openPage({ viewport: { width: 1360, height: 1000 } });
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
