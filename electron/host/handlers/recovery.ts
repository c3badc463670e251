import type { recoveryRequests } from '../../../shared/contract/recovery';
import type { RecoveryState } from '../../../shared/dto/recovery';
import { ChurchError } from '../../../shared/errors';
import type { DomainHandlers } from './types';

export const READY: RecoveryState = { state: 'ready', failure: null, step: null, error: null, keptAside: null };

/** A host that exists has started: the recovery screen's calls only say so (RecoverableStudio answers them before a start). */
export function recoveryHandlers(): DomainHandlers<typeof recoveryRequests> {
  return {
    'recovery.status': () => READY,
    'recovery.choose': () => {
      throw new ChurchError('CONFLICT', 'the studio started normally; there is nothing to recover');
    },
  };
}
