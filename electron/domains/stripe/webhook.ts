import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from './api';
import type { StripeEventJson } from './applyEvent';

const MAX_BODY = 1024 * 1024;

export interface WebhookEndpointOptions {
  port: number;
  /** Read at each delivery, so a new secret takes effect without a restart. */
  secret: () => string | null;
  apply: (event: StripeEventJson) => void;
  logError: (msg: string, e: unknown) => void;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A loopback endpoint for `stripe listen --forward-to 127.0.0.1:PORT/webhook`. Every delivery's
 * Stripe-Signature is checked with the signing secret (and its timestamp tolerance) before the event is applied;
 * anything unsigned, mis-signed or stale is answered 400 and changes nothing.
 */
export class WebhookEndpoint {
  private server: Server | null = null;
  received = 0;
  rejected = 0;

  constructor(private readonly opts: WebhookEndpointOptions) {}

  async start(): Promise<string> {
    if (this.server) return this.url()!;
    const server = createServer((req, res) => {
      void this.handle(req)
        .then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        })
        .catch((e: unknown) => {
          this.opts.logError('stripe webhook failed', e);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":"internal"}');
        });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this.url()!;
  }

  url(): string | null {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    return addr ? `http://127.0.0.1:${addr.port}/webhook` : null;
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/webhook') return [404, { error: 'POST /webhook only' }];
    const secret = this.opts.secret();
    if (!secret) return [503, { error: 'no webhook signing secret is set (Settings → Stripe, or STRIPE_WEBHOOK_SECRET)' }];
    const body = await readBody(req);
    if (!body) return [413, { error: 'body too large' }];
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string') {
      this.rejected++;
      return [400, { error: 'missing Stripe-Signature header' }];
    }
    let event;
    try {
      event = verifyWebhook(body, signature, secret);
    } catch {
      this.rejected++;
      return [400, { error: 'signature does not match the signing secret' }];
    }
    this.received++;
    this.opts.apply(event);
    return [200, { received: true }];
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
