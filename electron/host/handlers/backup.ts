import type { backupRequests } from '../../../shared/contract/backup';
import type { BackupService } from '../../domains/backup';
import type { DomainHandlers } from './types';

export function backupHandlers(backup: BackupService): DomainHandlers<typeof backupRequests> {
  return {
    'backup.status': () => backup.status(),
    'backup.list': (oneCall) => backup.list(oneCall),
    'backup.run': ({ restic, ...rest }) => backup.run({ restic, reason: 'manual', ...rest }),
    'backup.restore': ({ id, ...oneCall }) => backup.requestRestore(id, oneCall),
    'backup.getSettings': () => backup.getSettings(),
    'backup.setSettings': (patch) => backup.setSettings(patch),
  };
}
