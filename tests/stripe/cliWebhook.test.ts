import { spawn } from 'node:child_process';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { CHURCH_BIN, church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { useFakeStripe } from '../helpers/stripeSync';
import { addCustomer, addPrice, addProduct, addSubscription } from '../helpers/stripeShop';

describe('church stripe webhook', () => {
  it('listens on loopback, applies signed deliveries and refuses unsigned ones', async () => {
    const fake = await useFakeStripe();
    const cus = addCustomer(fake, 'Hook Hannah', 'hannah@example.test');
    addSubscription(fake, { customer: cus, items: [{ price: addPrice(fake, addProduct(fake, 'Church Basic'), { amount: 500, interval: 'month' }) }] });
    const dataDir = tempDir('church-cli-webhook-');
    const secret = 'whsec_clitest0123456789';
    const env = { CHURCH_NO_ATTACH: '1', STRIPE_API_BASE: fake.base, STRIPE_API_KEY: fake.addKey(), STRIPE_WEBHOOK_SECRET: secret };
    expect((await church(['stripe', 'sync', '--data-dir', dataDir], { env })).code).toBe(0);

    const child = spawn(process.execPath, [CHURCH_BIN, 'stripe', 'webhook', '--port', '0', '--json', '--data-dir', dataDir], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          resolve((JSON.parse(out) as { url: string }).url);
        } catch {
          // not complete yet
        }
      });
      child.once('exit', (code) => reject(new Error(`church stripe webhook exited with ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    const payload = JSON.stringify(fake.update('customer', cus.id, { name: 'Hannah Hooked' }));
    expect((await fetch(url, { method: 'POST', body: payload })).status).toBe(400);
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_notthesecret' });
    expect((await fetch(url, { method: 'POST', body: payload, headers: { 'stripe-signature': forged } })).status).toBe(400);
    const signed = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect((await fetch(url, { method: 'POST', body: payload, headers: { 'stripe-signature': signed } })).status).toBe(200);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    expect(child.exitCode).toBe(0);

    const list = await church(['subscribers', '--json', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
    expect((JSON.parse(list.stdout) as { rows: { name: string }[] }).rows.map((r) => r.name)).toEqual(['Hannah Hooked']);
  });
});
