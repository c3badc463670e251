import { z } from 'zod';
import { defineTool } from '../toolkit';

export const subscriberSummaryTool = defineTool({
  name: 'subscriber_summary',
  title: 'Subscriber summary',
  description:
    'How the subscription business is doing, from the studio\'s offline copy of Stripe: MRR, subscriber counts per status, churn, and the subscribers by name and status only (no e-mail addresses or payment details). Read-only.',
  input: z.object({ limit: z.number().int().min(0).max(500).default(50).describe('How many subscribers to list (0: figures only)') }).strict(),
  output: z.looseObject({
    syncedAt: z.string().nullable(),
    mrrMinorUnits: z.number(),
    activeSubscribers: z.number(),
    subscribers: z.array(z.looseObject({ name: z.string(), status: z.string() })),
  }),
  readOnly: true,
  async run({ limit }, { call }) {
    const [metrics, page] = await Promise.all([call('stripe.metrics', {}), call('stripe.subscribers', { limit: Math.max(1, limit), sort: 'created', dir: 'desc' })]);
    return {
      syncedAt: page.syncedAt,
      currency: metrics.currency,
      mrrMinorUnits: metrics.mrr,
      activeSubscribers: metrics.activeSubscribers,
      statusCounts: page.statusCounts,
      churnRate: metrics.churnRate,
      newLast30Days: metrics.newLast30Days,
      churnedLast30Days: metrics.churnedLast30Days,
      // Names and statuses only: an agent has no business with e-mail addresses or card details.
      subscribers: limit === 0 ? [] : page.rows.slice(0, limit).map((r) => ({ name: r.name ?? '(no name)', status: r.status, plan: r.product, cancelAtPeriodEnd: r.cancelAtPeriodEnd })),
    };
  },
});
