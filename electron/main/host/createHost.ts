import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../services/audit';
import { openDatabase, type Db } from '../services/db';
import { LibraryStore } from '../services/library';
import type { MediaResolver } from '../services/mediaserve';
import { EnvironmentSecretStore, type SecretStore } from '../services/secrets';
import { SettingsStore } from '../services/settings';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventHub } from './EventHub';
import { systemHandlers } from './handlers/system';
import { killswitchHandlers } from './handlers/killswitch';
import { mcpHandlers } from './handlers/mcp';
import { KillSwitch } from '../services/killswitch';
import type { Handlers } from './handlers/types';
import { acquirePrimary } from './primaryLock';

export interface HostOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Electron passes a safeStorage-backed store; headless modes read secrets from the environment. */
  secrets?: SecretStore;
  logError?: (msg: string, e: unknown) => void;
}

/** What every domain's handlers may use. */
export interface HostCore {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  db: Db;
  audit: AuditLog;
  events: EventHub;
  secrets: SecretStore;
  settings: SettingsStore;
  library: LibraryStore;
  /** True in the one process per data dir that runs recovery and the engines (see primaryLock.ts). */
  isPrimary: boolean;
}

export interface Host extends HostCore {
  killSwitch: KillSwitch;
  /** The typed handlers behind `dispatch`, for in-process callers that have already validated input. */
  handlers: Handlers;
  dispatch: Dispatch;
  resolveMedia: MediaResolver;
  close(): Promise<void>;
}

/**
 * The composition root: builds every service once. Electron, `church serve`, the CLI and `church mcp`
 * all call this, so they behave the same.
 */
export function createHost(opts: HostOptions): Host {
  const env = opts.env ?? process.env;
  mkdirSync(opts.dataDir, { recursive: true });
  const primary = acquirePrimary(opts.dataDir);
  const db = openDatabase(join(opts.dataDir, 'studio.sqlite'));
  const audit = new AuditLog(db);
  const events = new EventHub();
  const secrets = opts.secrets ?? new EnvironmentSecretStore(env, { 'stripe-key': 'STRIPE_API_KEY', 'smtp-password': 'CHURCH_SMTP_PASSWORD', 'stripe-webhook-secret': 'STRIPE_WEBHOOK_SECRET' });
  const settings = new SettingsStore(db);
  const library = new LibraryStore(db);
  const core: HostCore = { dataDir: opts.dataDir, env, db, audit, events, secrets, settings, library, isPrimary: primary.isPrimary };

  const killSwitch = new KillSwitch({
    db,
    recoverInterrupted: primary.isPrimary,
    audit,
    dataDir: opts.dataDir,
    env,
    // Wired to the job engine once it is composed below.
    stopJobs: async () => ({ stopped: 0 }),
    sendAlert: async (message) => {
      events.emit('system.notice', { level: 'error', message: `Kill switch: ${message}` });
      return 'shown in the studio window';
    },
    onUpdate: (run) => events.emit('killswitch.progress', run),
  });

  const handlers: Handlers = {
    ...systemHandlers(core),
    ...killswitchHandlers(killSwitch),
    ...mcpHandlers(core),
  };

  const resolveMedia: MediaResolver = (ref) => {
    if (ref.kind === 'video' && !ref.file) return library.pathOf(ref.id);
    return null;
  };

  return {
    ...core,
    killSwitch,
    handlers,
    dispatch: createDispatcher(handlers, audit, opts.logError),
    resolveMedia,
    async close() {
      db.close();
      primary.release();
    },
  };
}
