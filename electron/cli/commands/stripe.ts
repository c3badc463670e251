import { SUBSCRIBER_SORT_KEYS, SUBSCRIPTION_STATUSES, ageText, formatMinor } from '../../../shared/dto/stripe';
import type { StripeMetrics, StripeStatus, SubscriberPage, SubscriberSortKey, SubscriptionStatus, SyncProgress, SyncReport } from '../../../shared/dto/stripe';
import { ChurchError } from '../../../shared/errors';
import type { CliCommand, CliContext, ParsedArgs } from '../command';
import { isLiveTerminal } from '../terminal';

function renderReport(r: SyncReport): string {
  const objects = Object.entries(r.objects)
    .filter(([, n]) => n)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  const lines = [
    `${r.ok ? '✓' : '✗'} ${r.kind} sync ${r.outcome} in ${(r.durationMs / 1000).toFixed(1)} s: ${r.requests} requests${r.retries ? ` (${r.retries} retried)` : ''}${r.kind === 'incremental' ? `, ${r.events} events` : ''}`,
  ];
  if (objects) lines.push(`  objects: ${objects}`);
  if (r.fellBackToBackfill) lines.push(`  full sync because ${r.fellBackToBackfill}`);
  if (r.message) lines.push(`  ${r.message}`);
  return lines.join('\n');
}

function keyAge(s: StripeStatus): string {
  const age = s.key.ageDays === null || s.key.ageDays === undefined ? 'age unknown' : `set ${s.key.ageDays} days ago`;
  return s.key.rotateDue ? `${age}: rotate it (church stripe rotate-key)` : age;
}

function renderStatus(s: StripeStatus): string {
  const counts = Object.entries(s.counts)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  return [
    `key:      ${s.key.present ? `${s.key.masked} (${s.key.mode}, from ${s.key.store}, ${keyAge(s)})` : 'none (set STRIPE_API_KEY=rk_live_… or paste one in Settings → Stripe)'}`,
    `data:     ${ageText(s.lastGoodSyncAt)}; ${counts}`,
    `last run: ${s.lastSync ? `${s.lastSync.outcome} at ${s.lastSync.finishedAt}${s.lastSync.message ? ` — ${s.lastSync.message}` : ''}` : 'none'}`,
    `rate cap: ${s.settings.maxRequestsPerSecond} requests/s; webhook ${s.webhookUrl ?? (s.settings.webhookEnabled ? 'enabled, not listening' : 'off')}`,
    'read permissions for the restricted key: ' + s.permissions.map((p) => p.label).join(', '),
  ].join('\n');
}

function renderMetrics(m: StripeMetrics): string {
  const money = (v: number) => formatMinor(v, m.currency);
  return [
    `MRR ${money(m.mrr)}   ARR ${money(m.arr)}   ARPU ${money(m.arpu)}   (${m.currency.toUpperCase()}, ${ageText(m.syncedAt)})`,
    `subscribers paying ${m.activeSubscribers}: active ${m.active}, trialing ${m.trialing}, past due ${m.pastDue}`,
    `last 30 days: new ${m.newLast30Days}, churned ${m.churnedLast30Days} (churn ${(m.churnRate * 100).toFixed(1)} %), failed payments ${m.failedPaymentsLast30Days}`,
    `renewals due in the next 7 days: ${m.renewalsNext7Days}`,
    'MRR by month: ' + m.mrrHistory.map((p) => `${p.month} ${money(p.value)}`).join(', '),
  ].join('\n');
}

function pad(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n);
}

function renderSubscribers(p: SubscriberPage): string {
  if (p.rows.length === 0) return `no subscribers match (${ageText(p.syncedAt)})`;
  const head = `${pad('NAME', 22)} ${pad('EMAIL', 28)} ${pad('STATUS', 10)} ${pad('PLAN', 18)} ${pad('AMOUNT', 16)} ${pad('RENEWS', 11)} LAST INVOICE`;
  const lines = p.rows.map(
    (r) =>
      `${pad(r.name ?? r.customerId, 22)} ${pad(r.email ?? '', 28)} ${pad(r.status, 10)} ${pad(r.product ?? '', 18)} ${pad(`${formatMinor(r.amount, r.currency)}/${r.interval ?? '?'}`, 16)} ${pad(r.currentPeriodEnd?.slice(0, 10) ?? '', 11)}${r.cancelAtPeriodEnd ? ' (ends)' : ''} ${r.lastInvoiceStatus ?? ''}`,
  );
  return [head, ...lines, `${p.rows.length} of ${p.total} shown, ${ageText(p.syncedAt)}`].join('\n');
}

function progressLine(p: SyncProgress): string {
  const done = p.types.filter((t) => t.fetched > 0 || t.state !== 'pending').map((t) => `${t.type} ${t.fetched}${t.state === 'forbidden' ? ' (no permission)' : ''}`);
  return `${p.kind}: ${done.join(', ')}${p.kind === 'incremental' ? ` events ${p.events}` : ''} — ${p.requests} requests, ${p.requestRate}/s${p.retries ? `, ${p.retries} retries` : ''}   `;
}

async function sync(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const client = await ctx.client();
  const live = isLiveTerminal(ctx.stderr, ctx.env);
  // Redrawn in place on a terminal; elsewhere (a pipe, a log, NO_COLOR) one line per update.
  const off = ctx.json ? () => undefined : client.on('stripe.progress', (p) => ctx.stderr.write(live ? `\r${progressLine(p)}` : `${progressLine(p).trimEnd()}\n`));
  let report: SyncReport;
  try {
    report = await client.call('stripe.sync', { full: args.values.full === true });
  } finally {
    off();
  }
  if (!ctx.json && live) ctx.stderr.write('\n');
  ctx.print(report, () => renderReport(report));
  return report.ok ? 0 : 1;
}

async function webhook(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const host = await ctx.host();
  const port = typeof args.values.port === 'string' ? Number(args.values.port) : host.stripe.settings().webhookPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ChurchError('INVALID_INPUT', `--port ${String(args.values.port)} is not a port number`);
  if (!ctx.env.STRIPE_WEBHOOK_SECRET && !host.stripe.status().webhookSecretSet) {
    throw new ChurchError('UNAVAILABLE', 'set STRIPE_WEBHOOK_SECRET to the whsec_… secret that `stripe listen` prints, so deliveries can be verified');
  }
  const url = await host.stripe.startWebhook(port);
  ctx.print({ url }, () => `listening on ${url}; run: stripe listen --forward-to ${url.replace('http://', '')}   (Ctrl+C stops)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.stripe.stopWebhook();
  return 0;
}

/** The first line of standard input (a terminal: what is typed up to Enter; a pipe or file: up to its end). */
function readKeyFromStdin(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.pause();
      resolve(text.split(/\r?\n/)[0]!.trim());
    };
    const onData = (d: Buffer) => {
      text += d.toString('utf8');
      if (text.includes('\n') || text.length > 4096) finish();
    };
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.once('error', reject);
  });
}

/** `church stripe rotate-key`: the new key from standard input, never an argument (shell history, `ps`). */
async function rotateKey(ctx: CliContext, args: ParsedArgs): Promise<number> {
  if (args.positionals.length > 1) {
    throw new ChurchError('INVALID_INPUT', 'give the new key on standard input, not as an argument (an argument stays in your shell history and shows in ps): church stripe rotate-key < new-key.txt');
  }
  const stdin = process.stdin;
  if (stdin.isTTY) ctx.stderr.write('Paste the new restricted key (rk_live_… or rk_test_…), then Enter: ');
  const key = await readKeyFromStdin(stdin);
  if (!key) throw new ChurchError('INVALID_INPUT', 'no key on standard input; e.g. church stripe rotate-key < new-key.txt');
  const client = await ctx.client();
  const r = await client.call('stripe.rotateKey', { key });
  ctx.print(r, () =>
    [`✓ the Stripe key ${r.previous} is replaced by ${r.next} (${r.mode}); the local copy is kept`, ...(r.note ? [`  ${r.note}`] : []), '  revoke the old key in the Stripe Dashboard → Developers → API keys'].join('\n'),
  );
  return 0;
}

export const stripeCommand: CliCommand = {
  name: 'stripe',
  summary: 'Stripe: sync the local copy (restricted key in STRIPE_API_KEY), status, metrics, webhook endpoint',
  usage: 'church stripe sync [--full] | status | metrics | webhook [--port N] | rotate-key (the new key on standard input)   [--json]',
  options: { full: { type: 'boolean' }, port: { type: 'string' } },
  engines: false,
  async run(ctx, args) {
    const verb = args.positionals[0] ?? 'status';
    switch (verb) {
      case 'sync':
        return sync(ctx, args);
      case 'status': {
        const s = await (await ctx.client()).call('stripe.status', {});
        ctx.print(s, () => renderStatus(s));
        return 0;
      }
      case 'metrics':
        return metricsCommand.run(ctx, args);
      case 'webhook':
        return webhook(ctx, args);
      case 'rotate-key':
        return rotateKey(ctx, args);
      default:
        throw new ChurchError('INVALID_INPUT', `unknown "church stripe ${verb}"; use sync, status, metrics, webhook or rotate-key`);
    }
  },
};

export const subscribersCommand: CliCommand = {
  name: 'subscribers',
  summary: 'Subscribers from the local Stripe copy (works offline): filter, search, sort, CSV',
  usage: `church subscribers [--status ${SUBSCRIPTION_STATUSES.slice(0, 3).join(',')}…] [--search TEXT] [--sort ${SUBSCRIBER_SORT_KEYS.join('|')}] [--asc] [--limit N] [--csv] [--json]`,
  options: { status: { type: 'string' }, search: { type: 'string' }, sort: { type: 'string' }, asc: { type: 'boolean' }, limit: { type: 'string' }, csv: { type: 'boolean' } },
  async run(ctx, args) {
    const v = args.values;
    const status = typeof v.status === 'string' ? v.status.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const query = {
      // Passed on as typed: the studio's schema checks them and names the allowed values when one is wrong.
      ...(status ? { status: status as SubscriptionStatus[] } : {}),
      ...(typeof v.search === 'string' ? { search: v.search } : {}),
      sort: (typeof v.sort === 'string' ? v.sort : 'created') as SubscriberSortKey,
      dir: v.asc === true ? ('asc' as const) : ('desc' as const),
    };
    const client = await ctx.client();
    if (v.csv === true) {
      const out = await client.call('stripe.exportCsv', query);
      ctx.stdout.write(out.csv);
      return 0;
    }
    const limit = typeof v.limit === 'string' ? Number(v.limit) : 100_000;
    const page = await client.call('stripe.subscribers', { ...query, limit });
    ctx.print(page, () => renderSubscribers(page));
    return 0;
  },
};

export const metricsCommand: CliCommand = {
  name: 'metrics',
  summary: 'Business metrics from the local Stripe copy: MRR, ARR, churn, ARPU, renewals (money in minor units with --json)',
  usage: 'church metrics [--json]',
  async run(ctx) {
    const m = await (await ctx.client()).call('stripe.metrics', {});
    ctx.print(m, () => renderMetrics(m));
    return 0;
  },
};

/** The `church` commands of the stripe domain. */
export const stripeCommands: CliCommand[] = [stripeCommand, subscribersCommand, metricsCommand];
