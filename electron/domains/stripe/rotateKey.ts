import type { StripeKeyRotation } from '../../../shared/dto/stripe';
import { ChurchError } from '../../../shared/errors';
import { StripeApi, classifyError } from './api';
import { checkRestrictedKey, keyMode, maskKey, scrubKeys } from './keys';

export interface RotationInput {
  /** The key in use now. */
  current: string | null;
  /** What the owner gave as the new key (standard input, Settings). */
  raw: string;
  apiBase: string | undefined;
  /** A customer the local copy holds: the new key must see it (same account); null when the copy has none. */
  knownCustomerId: string | null;
}

/** Why Stripe refused the one read, in the owner's words; the old key stays. */
function refusal(e: unknown, knownCustomerId: string | null): ChurchError {
  const f = classifyError(e);
  const kept = 'the old key is kept';
  switch (f.kind) {
    case 'auth':
      return new ChurchError('INVALID_INPUT', `Stripe refused the new key (${scrubKeys(f.message)}): it is revoked, expired or mistyped; ${kept}`);
    case 'permission':
      return new ChurchError('INVALID_INPUT', `the new key may not read customers (${f.permission ?? 'Customers: Read'} is missing); give it the same read permissions as the old one; ${kept}`);
    case 'invalid':
      if (f.code === 'resource_missing' && knownCustomerId) {
        return new ChurchError(
          'INVALID_INPUT',
          `the new key cannot see customer ${knownCustomerId} of the local copy: it belongs to another Stripe account (or that customer was deleted since the last sync; sync with the old key first); ${kept}`,
        );
      }
      return new ChurchError('INVALID_INPUT', `Stripe refused the check with the new key (${scrubKeys(f.message)}); ${kept}`);
    case 'rate':
    case 'connection':
      return new ChurchError('UNAVAILABLE', `Stripe could not be reached to check the new key (${scrubKeys(f.message)}); ${kept}; try again`);
    default:
      return new ChurchError('UNAVAILABLE', `the new key could not be checked (${scrubKeys(f.message)}); ${kept}`);
  }
}

/**
 * Checks a new restricted key before it replaces the one in use: restricted (rk_), not the same key, the same mode
 * (live or test), and working, with one read against Stripe: the local copy's customer (which also proves the same
 * account) or, with an empty copy, the first page of one customer. Throws with why; the caller stores the key only
 * after this returns.
 */
export async function verifyRotation(input: RotationInput): Promise<{ key: string; rotation: Omit<StripeKeyRotation, 'note' | 'status'> }> {
  if (!input.current) {
    throw new ChurchError('UNAVAILABLE', 'there is no Stripe key to rotate; set one first (Settings → Stripe, or STRIPE_API_KEY for church serve)');
  }
  const { key, mode } = checkRestrictedKey(input.raw);
  if (key === input.current) throw new ChurchError('INVALID_INPUT', 'that is the key already in use; create a new restricted key in the Stripe Dashboard and give that one');
  const currentMode = keyMode(input.current);
  if (currentMode && currentMode !== mode) {
    throw new ChurchError('INVALID_INPUT', `the key in use is a ${currentMode} key and the new one a ${mode} key, which reads other data; give a ${currentMode} key; the old key is kept`);
  }
  const api = new StripeApi(key, { apiBase: input.apiBase, maxRequestsPerSecond: 5, retryBaseMs: 500, maxRetries: 0, timeoutMs: 20_000 });
  try {
    await api.verifyRead(input.knownCustomerId);
  } catch (e) {
    throw refusal(e, input.knownCustomerId);
  }
  return { key, rotation: { previous: maskKey(input.current), next: maskKey(key), mode } };
}
