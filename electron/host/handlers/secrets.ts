import type { secretsRequests } from '../../../shared/contract/secrets';
import { STRIPE_KEY_ROTATE_DAYS, type SecretAge } from '../../../shared/dto/secrets';
import { secretAgeDays, type SecretStore } from '../../platform/secrets';
import type { DomainHandlers } from './types';

/** The secrets as Settings names them; a secret added later without a label shows its name. */
const SECRET_LABELS: Record<string, string> = {
  'stripe-key': 'Stripe restricted key',
  'stripe-webhook-secret': 'Stripe webhook signing secret',
  'smtp-password': 'SMTP password',
  'prometheus-token': 'Prometheus token',
  'restic-password': 'restic password',
  'lab-redis-password': 'Lab Redis password',
};

const ROTATE_AFTER_DAYS: Record<string, number> = { 'stripe-key': STRIPE_KEY_ROTATE_DAYS };

/** Set or not, and how old, for each secret name the studio knows (`envVars`: name → its environment variable). */
export function secretAges(secrets: SecretStore, envVars: Record<string, string>, now = Date.now()): SecretAge[] {
  return Object.entries(envVars).map(([name, envVar]) => {
    let set = false;
    try {
      set = secrets.get(name) !== null;
    } catch {
      // an unreadable keychain: shown as not set, as everywhere else
    }
    const setAt = set ? (secrets.setAt?.(name) ?? null) : null;
    const ageDays = secretAgeDays(setAt, now);
    const rotateAfterDays = ROTATE_AFTER_DAYS[name] ?? null;
    return { name, label: SECRET_LABELS[name] ?? name, set, setAt, ageDays, envVar, rotateAfterDays, rotateDue: rotateAfterDays !== null && ageDays !== null && ageDays >= rotateAfterDays };
  });
}

export function secretsHandlers(secrets: SecretStore, envVars: Record<string, string>): DomainHandlers<typeof secretsRequests> {
  return {
    'secrets.storeInfo': () => secrets.info(),
    'secrets.ages': () => secretAges(secrets, envVars),
    'secrets.acceptWeakStore': ({ accept }) => {
      secrets.acceptWeak(accept);
      return secrets.info();
    },
  };
}
