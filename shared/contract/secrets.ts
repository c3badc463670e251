import { z } from 'zod';
import { OWNER, request } from './define';
import type { SecretAge, SecretStoreInfo } from '../dto/secrets';

export const secretsRequests = {
  'secrets.storeInfo': request<SecretStoreInfo>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Where secrets (the Stripe key, the SMTP password, the webhook secret) are kept, and how safe that is.',
  }),
  'secrets.ages': request<SecretAge[]>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Each secret the studio knows: set or not, when it was set and how old it is ("unknown" before dates were kept); never a value.',
  }),
  'secrets.acceptWeakStore': request<SecretStoreInfo>()({
    actors: OWNER,
    input: z.object({ accept: z.boolean() }).strict(),
    description: 'Agrees (or no longer agrees) to keep secrets in a store without an OS keychain behind it.',
    mutates: true,
  }),
};
