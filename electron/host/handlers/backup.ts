import type { backupRequests } from '../../../shared/contract/backup';
import type { BackupService } from '../../domains/backup';
import type { DomainHandlers } from './types';

export function backupHandlers(backup: BackupService): DomainHandlers<typeof backupRequests> {
  return {
    'backup.status': () => backup.status(),
    'backup.list': () => backup.list(),
    'backup.run': ({ restic }) => backup.run({ restic, reason: 'manual' }),
    'backup.restore': ({ id }) => backup.requestRestore(id),
    'backup.getSettings': () => backup.getSettings(),
    'backup.setSettings': (patch) => backup.setSettings(patch),
  };
}
