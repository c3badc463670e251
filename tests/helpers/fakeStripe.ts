import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Stripe's API on 127.0.0.1, for the endpoints the studio uses, faithful to the real protocol:
 * Bearer auth, lists newest first with `limit` (1..100), `starting_after`/`ending_before`, `has_more`, `url`,
 * `object: 'list'`; `expand[]` of `data.discounts` on subscriptions; `status=all` (canceled subscriptions are
 * left out otherwise); `/v1/events` with `created[gt|gte|lt|lte]`; error bodies `{error:{type,code,message}}`
 * with 401 (invalid or expired key), 403 (restricted key without the permission, naming the `rak_…`
 * permission), 404, 400 (`resource_missing` for an unknown cursor), 429 (with `Stripe-Should-Retry`);
 * `Request-Id` on every answer. Faults (429 storms, dropped connections) are switched on by tests.
 */

export type FakeType = 'customer' | 'product' | 'price' | 'subscription' | 'invoice' | 'charge' | 'refund' | 'dispute';

export interface FakeObject {
  id: string;
  object: string;
  created: number;
  [field: string]: unknown;
}

export interface FakeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: null };
  data: { object: FakeObject; previous_attributes?: Record<string, unknown> };
}

export interface KeyRule {
  /** Permission ids the key holds (rak_customer_read…), or 'all'. */
  permissions: string[] | 'all';
  revoked?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The Authorization header as received (tests check which key was used; never printed). */
  auth: string;
}

const RESOURCES: Record<string, { type: FakeType; permission: string; prefix: string }> = {
  customers: { type: 'customer', permission: 'rak_customer_read', prefix: 'cus' },
  products: { type: 'product', permission: 'rak_product_read', prefix: 'prod' },
  prices: { type: 'price', permission: 'rak_plan_read', prefix: 'price' },
  subscriptions: { type: 'subscription', permission: 'rak_subscription_read', prefix: 'sub' },
  invoices: { type: 'invoice', permission: 'rak_invoice_read', prefix: 'in' },
  charges: { type: 'charge', permission: 'rak_charge_read', prefix: 'ch' },
  refunds: { type: 'refund', permission: 'rak_refund_read', prefix: 're' },
  disputes: { type: 'dispute', permission: 'rak_dispute_read', prefix: 'dp' },
};

const PREFIX: Record<FakeType, string> = Object.fromEntries(Object.values(RESOURCES).map((r) => [r.type, r.prefix])) as Record<FakeType, string>;

function stripeMask(key: string): string {
  return `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
}

/** Parses Stripe's form-style query (`created[gte]=1`, `expand[0]=data.discounts`) into flat bracket keys. */
function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) out[k] = v;
  return out;
}

export class FakeStripe {
  readonly objects = new Map<FakeType, Map<string, FakeObject>>();
  readonly discounts = new Map<string, Record<string, unknown>>();
  readonly events: FakeEvent[] = []; // oldest first internally; listed newest first
  readonly keys = new Map<string, KeyRule>();
  readonly log: RequestRecord[] = [];
  /** Seconds; tests may move it. Defaults to the wall clock. */
  clock: () => number = () => Math.floor(Date.now() / 1000);
  faults = {
    /** The next N requests answer 429. */
    rateLimitNext: 0,
    /** Stripe-Should-Retry on those 429s ('true', 'false', or no header). */
    shouldRetry: 'true' as 'true' | 'false' | null,
    /** Retry-After (seconds, as Stripe and proxies send it) on those 429s; null: no header. */
    retryAfter: null as string | null,
    /** After this many more requests, every request has its connection dropped (null: never). */
    dropAfter: null as number | null,
    /** Milliseconds to wait before answering (a slow link). */
    delayMs: 0,
    /** Answer event lists filtered by `created` with 400, as Stripe does for a window it no longer keeps. */
    refuseEventWindow: false,
  };
  private server: Server | null = null;
  private seq = 0;

  constructor() {
    for (const r of Object.values(RESOURCES)) this.objects.set(r.type, new Map());
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this.base;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** A fresh restricted key the server accepts. */
  addKey(rule: KeyRule = { permissions: 'all' }, mode: 'test' | 'live' = 'test'): string {
    const key = `rk_${mode}_${randomBytes(18).toString('hex')}`;
    this.keys.set(key, rule);
    return key;
  }

  nextId(type: FakeType | 'evt' | 'di'): string {
    this.seq++;
    const prefix = type === 'evt' || type === 'di' ? type : PREFIX[type];
    return `${prefix}_${String(this.seq).padStart(10, '0')}${randomBytes(3).toString('hex')}`;
  }

  private emitEvent(type: string, object: FakeObject, previous?: Record<string, unknown>): FakeEvent {
    const ev: FakeEvent = {
      id: this.nextId('evt'),
      object: 'event',
      type,
      created: this.clock(),
      api_version: '2026-10-28.endive',
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      data: previous ? { object: structuredClone(object), previous_attributes: previous } : { object: structuredClone(object) },
    };
    this.events.push(ev);
    return ev;
  }

  /** Adds an object (as if created in Stripe), with its `*.created` event unless `silent`. */
  add(type: FakeType, fields: Record<string, unknown>, opts: { silent?: boolean } = {}): FakeObject {
    const obj: FakeObject = { id: this.nextId(type), object: type, created: this.clock(), livemode: false, ...fields };
    this.objects.get(type)!.set(obj.id, obj);
    if (!opts.silent) this.emitEvent(`${type === 'subscription' ? 'customer.subscription' : type}.created`, obj);
    return obj;
  }

  /** Changes an object and records the event Stripe would send (e.g. customer.updated, invoice.paid). */
  update(type: FakeType, id: string, patch: Record<string, unknown>, eventType?: string): FakeEvent {
    const obj = this.objects.get(type)!.get(id);
    if (!obj) throw new Error(`fake: no ${type} ${id}`);
    const previous: Record<string, unknown> = {};
    for (const k of Object.keys(patch)) previous[k] = obj[k] ?? null;
    Object.assign(obj, patch);
    return this.emitEvent(eventType ?? `${type === 'subscription' ? 'customer.subscription' : type}.updated`, obj, previous);
  }

  /** Deletes an object (customers, products, prices…): it leaves the lists and a `*.deleted` event is recorded. */
  remove(type: FakeType, id: string): FakeEvent {
    const obj = this.objects.get(type)!.get(id);
    if (!obj) throw new Error(`fake: no ${type} ${id}`);
    this.objects.get(type)!.delete(id);
    return this.emitEvent(`${type}.deleted`, obj);
  }

  requestsTo(pathPrefix: string): RequestRecord[] {
    return this.log.filter((r) => r.path.startsWith(pathPrefix));
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------------

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': `req_${randomBytes(7).toString('hex')}`,
      'stripe-version': '2026-10-28.endive',
      ...headers,
    });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, type: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): number {
    this.send(res, status, { error: { type, message, ...extra } }, headers);
    return status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = parseQuery(url.search);
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query, status: 0, auth: String(req.headers.authorization ?? '') };
    this.log.push(record);
    if (this.faults.dropAfter !== null) {
      if (this.faults.dropAfter <= 0) {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      this.faults.dropAfter--;
    }
    if (this.faults.delayMs) await new Promise((r) => setTimeout(r, this.faults.delayMs));
    record.status = this.route(req, url, query, res);
  }

  private route(req: IncomingMessage, url: URL, query: Record<string, string>, res: ServerResponse): number {
    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!auth) {
      return this.error(res, 401, 'invalid_request_error', "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    }
    const key = auth[1]!;
    const rule = this.keys.get(key);
    if (!rule) return this.error(res, 401, 'invalid_request_error', `Invalid API Key provided: ${stripeMask(key)}`);
    if (rule.revoked) return this.error(res, 401, 'invalid_request_error', `Expired API Key provided: ${stripeMask(key)}`, { code: 'api_key_expired' });
    if (this.faults.rateLimitNext > 0) {
      this.faults.rateLimitNext--;
      const headers: Record<string, string> = this.faults.shouldRetry ? { 'stripe-should-retry': this.faults.shouldRetry } : {};
      if (this.faults.retryAfter !== null) headers['retry-after'] = this.faults.retryAfter;
      return this.error(
        res,
        429,
        'invalid_request_error',
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
        { code: 'rate_limit' },
        headers,
      );
    }
    if (req.method !== 'GET') return this.error(res, 405, 'invalid_request_error', `The studio's fake Stripe only serves GET (got ${req.method}).`);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v1' || parts.length < 2 || parts.length > 3) return this.unrecognized(res, req, url);
    const name = parts[1]!;
    if (name === 'events') {
      if (!this.allowed(rule, 'rak_event_read')) return this.forbidden(res, key, 'rak_event_read');
      if (parts.length === 3) {
        const ev = this.events.find((e) => e.id === parts[2]);
        return ev ? (this.send(res, 200, ev), 200) : this.missing(res, 'event', parts[2]!);
      }
      if (this.faults.refuseEventWindow && Object.keys(query).some((k) => k.startsWith('created'))) {
        return this.error(res, 400, 'invalid_request_error', 'Events are only retained for 30 days; created must be within that window.', { param: 'created', code: 'parameter_invalid_integer' });
      }
      return this.list(res, url, query, [...this.events].reverse());
    }
    const resource = RESOURCES[name];
    if (!resource) return this.unrecognized(res, req, url);
    if (!this.allowed(rule, resource.permission)) return this.forbidden(res, key, resource.permission);
    const store = this.objects.get(resource.type)!;
    if (parts.length === 3) {
      const obj = store.get(parts[2]!);
      if (!obj) return this.missing(res, resource.type, parts[2]!);
      this.send(res, 200, obj);
      return 200;
    }
    let items = [...store.values()].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    if (resource.type === 'subscription') {
      const status = query.status;
      if (!status) items = items.filter((s) => s.status !== 'canceled' && s.status !== 'incomplete_expired');
      else if (status !== 'all') items = items.filter((s) => s.status === status);
    }
    if (query.customer) items = items.filter((o) => o.customer === query.customer);
    return this.list(res, url, query, items);
  }

  private allowed(rule: KeyRule, permission: string): boolean {
    return rule.permissions === 'all' || rule.permissions.includes(permission);
  }

  private forbidden(res: ServerResponse, key: string, permission: string): number {
    return this.error(
      res,
      403,
      'invalid_request_error',
      `The provided key '${stripeMask(key)}' does not have the required permissions for this endpoint on account 'acct_1FakeStudio'. Having the '${permission}' permission would allow this request to continue.`,
    );
  }

  private missing(res: ServerResponse, type: string, id: string): number {
    return this.error(res, 404, 'invalid_request_error', `No such ${type}: '${id}'`, { code: 'resource_missing', param: 'id' });
  }

  private unrecognized(res: ServerResponse, req: IncomingMessage, url: URL): number {
    return this.error(res, 404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
  }

  private list(res: ServerResponse, url: URL, query: Record<string, string>, items: FakeObject[] | FakeEvent[]): number {
    const limit = query.limit === undefined ? 10 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return this.error(res, 400, 'invalid_request_error', `Invalid integer: ${query.limit}`, { param: 'limit', code: 'parameter_invalid_integer' });
    }
    let list: (FakeObject | FakeEvent)[] = items;
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const v = query[`created[${op}]`];
      if (v === undefined) continue;
      const n = Number(v);
      list = list.filter((o) => (op === 'gt' ? o.created > n : op === 'gte' ? o.created >= n : op === 'lt' ? o.created < n : o.created <= n));
    }
    if (query.created !== undefined) list = list.filter((o) => o.created === Number(query.created));
    if (query.type) list = list.filter((o) => 'type' in o && o.type === query.type);
    let page: (FakeObject | FakeEvent)[];
    let hasMore: boolean;
    if (query.starting_after) {
      const i = list.findIndex((o) => o.id === query.starting_after);
      if (i < 0) return this.error(res, 400, 'invalid_request_error', `No such object: '${query.starting_after}'`, { code: 'resource_missing', param: 'starting_after' });
      page = list.slice(i + 1, i + 1 + limit);
      hasMore = i + 1 + limit < list.length;
    } else if (query.ending_before) {
      const i = list.findIndex((o) => o.id === query.ending_before);
      if (i < 0) return this.error(res, 400, 'invalid_request_error', `No such object: '${query.ending_before}'`, { code: 'resource_missing', param: 'ending_before' });
      page = list.slice(Math.max(0, i - limit), i);
      hasMore = i - limit > 0;
    } else {
      page = list.slice(0, limit);
      hasMore = limit < list.length;
    }
    const expand = Object.entries(query).filter(([k]) => k === 'expand[]' || /^expand\[\d+\]$/.test(k)).map(([, v]) => v);
    const data = page.map((o) => this.expand(o, expand));
    this.send(res, 200, { object: 'list', data, has_more: hasMore, url: url.pathname });
    return 200;
  }

  private expand(o: FakeObject | FakeEvent, expand: string[]): FakeObject | FakeEvent {
    if (!expand.includes('data.discounts') || o.object !== 'subscription' || !Array.isArray((o as FakeObject).discounts)) return o;
    const discounts = ((o as FakeObject).discounts as string[]).map((id) => this.discounts.get(id) ?? id);
    return { ...(o as FakeObject), discounts };
  }
}
