import { join } from 'node:path';
import type { backupRequests } from '../../../shared/contract/backup';
import { BackupService } from '../../domains/backup';
import type { HostCore } from '../hostCore';
import { backupHandlers } from '../handlers/backup';
import type { ComposedDomain } from './types';

export interface BackupDomainDeps {
  /** The monitor's channels: a failed backup is an alert like a hot disk. */
  alert(title: string, body: string): Promise<unknown>;
}

export function composeBackup(core: HostCore, deps: BackupDomainDeps): ComposedDomain<BackupService, typeof backupRequests> {
  const service = new BackupService({
    db: core.db,
    dbFile: join(core.dataDir, 'studio.sqlite'),
    dataDir: core.dataDir,
    settings: core.settings,
    secrets: core.secrets,
    env: core.env,
    emit: (status) => core.events.emit('backup.progress', status),
    alert: (title, body) => deps.alert(title, body),
    logError: core.logError,
  });
  return {
    service,
    handlers: backupHandlers(service),
    // Only the primary process runs the schedule: one snapshot per interval per data dir.
    start: () => service.start(),
    close: () => service.close(),
  };
}
