import type { SecretStore } from '../platform/secrets';

// Apart from createHost.ts, which imports every domain: a one-shot command's host (requestHost.ts) and `church
// config` take these without loading the domains they do not use.

export interface HostOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Electron passes a safeStorage-backed store; headless modes read secrets from the environment. */
  secrets?: SecretStore;
  logError?: (msg: string, e: unknown) => void;
  /**
   * Start the engines (job scheduler, monitor sampler, …) when this process is the primary one. Default true;
   * one-shot CLI commands that only read pass false so they never start work behind the user's back.
   */
  startEngines?: boolean;
  /**
   * Check the database before using it, so damage is found at start (recovery screen) rather than by the first
   * query that reads it: `PRAGMA quick_check` after a crash, once a day or when the file changed while closed,
   * else the first page of every table (services/backup/startCheck.ts); 'full' always runs quick_check (doctor).
   * Default: when this process is the primary one and starts the engines (the app, serve, mcp); one-shot CLI
   * commands skip it to start quickly and fail on the page instead.
   */
  checkDatabase?: boolean | 'full';
  /** better-sqlite3's compiled module to load instead of the one in node_modules (Electron's own build). */
  sqliteBinding?: string;
}

/** The environment variable that carries each secret to a headless studio (read once, then taken out of the environment). */
export const SECRET_ENV_VARS = {
  'stripe-key': 'STRIPE_API_KEY',
  'smtp-password': 'CHURCH_SMTP_PASSWORD',
  'prometheus-token': 'CHURCH_PROMETHEUS_TOKEN',
  'stripe-webhook-secret': 'STRIPE_WEBHOOK_SECRET',
  'restic-password': 'RESTIC_PASSWORD',
  'lab-redis-password': 'CHURCH_LAB_REDIS_PASSWORD',
  'alert-webhook-token': 'CHURCH_WEBHOOK_TOKEN',
  'ntfy-token': 'CHURCH_NTFY_TOKEN',
  'gotify-token': 'CHURCH_GOTIFY_TOKEN',
} as const;
