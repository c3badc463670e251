import type { AuditLog } from '../platform/audit';
import type { StartCheckReport } from '../domains/backup';
import type { Db } from '../platform/db';
import type { SecretStore } from '../platform/secrets';
import type { SettingsStore } from '../platform/settings';
import type { EventHub } from './EventHub';

// Apart from createHost.ts so the domains and handlers that take it do not import the file that imports them.
/** What every domain's composer and handlers may use. */
export interface HostCore {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  db: Db;
  audit: AuditLog;
  events: EventHub;
  secrets: SecretStore;
  settings: SettingsStore;
  /** True in the one process per data dir that runs recovery and the engines (see primaryLock.ts). */
  isPrimary: boolean;
  /** What the start check did (null when this process did not check: a one-shot command, a secondary process). */
  startCheck: StartCheckReport | null;
  logError: (msg: string, e: unknown) => void;
}
