import { z } from 'zod';
import { OWNER, OWNER_AND_MCP, event, request } from './define';
import {
  SUBSCRIBER_SORT_KEYS,
  SUBSCRIPTION_STATUSES,
  type CustomerDetail,
  type StripeKeyRotation,
  type StripeMetrics,
  type StripeProductTier,
  type StripeStatus,
  type SubscriberPage,
  type SyncProgress,
  type SyncReport,
} from '../dto/stripe';

export const subscriberQuerySchema = z
  .object({
    search: z.string().max(200).optional(),
    status: z.array(z.enum(SUBSCRIPTION_STATUSES)).max(SUBSCRIPTION_STATUSES.length).optional(),
    cancelAtPeriodEnd: z.boolean().optional(),
    sort: z.enum(SUBSCRIBER_SORT_KEYS).default('created'),
    dir: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(100_000).default(500),
  })
  .strict();

export const stripeSettingsSchema = z
  .object({
    maxRequestsPerSecond: z.number().min(1).max(100),
    webhookEnabled: z.boolean(),
    webhookPort: z.number().int().min(1024).max(65535),
    productTiers: z.record(z.string().regex(/^prod_\w+$/).max(255), z.enum(['subscriber', 'premium'])).default({}),
  })
  .strict();

export const stripeRequests = {
  'stripe.status': request<StripeStatus>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The key (masked), settings, last sync, running sync and local object counts.',
  }),
  'stripe.rotateKey': request<StripeKeyRotation>()({
    actors: OWNER,
    // Named `key` so the audit log's redaction drops the value by its field name as well as by its shape.
    input: z.object({ key: z.string().trim().min(1).max(300) }).strict(),
    description: 'Replaces the Stripe key with a new restricted key after one read proves it works on the same account; the old key stays when it does not.',
    mutates: true,
  }),
  'stripe.setKey': request<StripeStatus>()({
    actors: OWNER,
    // Named `key` so the audit log's redaction drops the value by its field name as well as by its shape.
    input: z.object({ key: z.string().trim().min(1).max(300) }).strict(),
    description: 'Stores a restricted key (rk_live_/rk_test_) in the OS keychain; full secret keys are refused.',
    mutates: true,
  }),
  'stripe.clearKey': request<StripeStatus>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Forgets the stored key; the synced data stays readable.',
    mutates: true,
  }),
  'stripe.setWebhookSecret': request<StripeStatus>()({
    actors: OWNER,
    input: z.object({ secret: z.string().trim().max(300).nullable() }).strict(),
    description: 'Stores (or with null, forgets) the webhook signing secret (whsec_…).',
    mutates: true,
  }),
  'stripe.setSettings': request<StripeStatus>()({
    actors: OWNER,
    input: stripeSettingsSchema.partial().strict(),
    description: 'Request-rate cap and the loopback webhook endpoint.',
    mutates: true,
  }),
  'stripe.sync': request<SyncReport>()({
    actors: OWNER,
    input: z.object({ full: z.boolean().default(false) }).strict(),
    description: 'Syncs now (incremental from the last event, or a full backfill) and resolves with the report. Joins a sync already running.',
    mutates: true,
  }),
  'stripe.cancelSync': request<{ cancelled: boolean }>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Stops the running sync; the last good data stays and the next sync resumes.',
    mutates: true,
  }),
  'stripe.subscribers': request<SubscriberPage>()({
    actors: OWNER_AND_MCP,
    input: subscriberQuerySchema,
    description: 'Subscribers from the local copy: search (name, e-mail, ids, product), filter by status, sort.',
  }),
  'stripe.customer': request<CustomerDetail>()({
    actors: OWNER,
    input: z.object({ id: z.string().min(1).max(255) }).strict(),
    description: 'One customer with their subscriptions, invoices and charges, from the local copy.',
  }),
  'stripe.metrics': request<StripeMetrics>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'MRR, ARR, subscriber counts, churn, ARPU, failed payments, renewals, MRR history, from the local copy.',
  }),
  'stripe.products': request<StripeProductTier[]>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Synced products with the library tier each unlocks and how many subscriptions hold it.',
  }),
  'stripe.exportCsv': request<{ filename: string; csv: string; rows: number }>()({
    actors: OWNER,
    input: subscriberQuerySchema.omit({ offset: true, limit: true }),
    description: 'The subscriber list (filtered and sorted the same way) as CSV.',
  }),
};

export const stripeEvents = {
  'stripe.progress': event<SyncProgress>('The running sync: objects per type, requests made, rate.'),
  'stripe.synced': event<SyncReport>('A sync ended (ok, partly, or not).'),
};
