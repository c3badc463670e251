import type { secretsRequests } from '../../../shared/contract/secrets';
import type { SecretStore } from '../../platform/secrets';
import type { DomainHandlers } from './types';

export function secretsHandlers(secrets: SecretStore): DomainHandlers<typeof secretsRequests> {
  return {
    'secrets.storeInfo': () => secrets.info(),
    'secrets.acceptWeakStore': ({ accept }) => {
      secrets.acceptWeak(accept);
      return secrets.info();
    },
  };
}
