import type { Db } from './openDatabase';

/** The database was written by a newer build: opening it here could lose what that build added. */
export class NewerSchemaError extends Error {
  constructor(
    readonly domain: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(`the ${domain} data was written by a newer version of the studio (schema ${found}, this build knows ${known}); update the app`);
    this.name = 'NewerSchemaError';
  }
}

/** Called before a domain's pending migrations run (e.g. to take a snapshot first); see onBeforeMigration. */
export type BeforeMigration = (domain: string, from: number, to: number) => void;
const beforeMigration = new WeakMap<Db, BeforeMigration>();

/** Registers a callback run before any migration on this connection changes an existing schema. */
export function onBeforeMigration(db: Db, fn: BeforeMigration | null): void {
  if (fn) beforeMigration.set(db, fn);
  else beforeMigration.delete(db);
}

/** A numbered step of one domain's schema. Numbers start at 1 and never change once released. */
export interface Migration {
  version: number;
  name: string;
  up: (db: Db) => void;
}

/**
 * Each domain (library, jobs, monitor, ...) owns a numbered list of migrations, recorded per domain in
 * `schema_version`, so domains evolve independently. Every step runs in its own transaction.
 */
export function migrate(db: Db, domain: string, migrations: readonly Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    domain TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations of ${domain} must be numbered 1..n; found ${m.version} at ${i + 1}`);
  });
  const row = db.prepare('SELECT version FROM schema_version WHERE domain = ?').get(domain) as { version: number } | undefined;
  let current = row?.version ?? 0;
  if (current > sorted.length) {
    throw new NewerSchemaError(domain, current, sorted.length);
  }
  // A fresh domain (version 0) has nothing to lose; an existing one is snapshotted before it changes.
  if (current > 0 && current < sorted.length) beforeMigration.get(db)?.(domain, current, sorted.length);
  const record = db.prepare(
    `INSERT INTO schema_version (domain, version, applied_at) VALUES (?, ?, ?)
     ON CONFLICT(domain) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at`,
  );
  for (const m of sorted.slice(current)) {
    db.transaction(() => {
      m.up(db);
      record.run(domain, m.version, new Date().toISOString());
    })();
    current = m.version;
  }
  return current;
}

export function schemaVersions(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT domain, version FROM schema_version ORDER BY domain').all() as {
    domain: string;
    version: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.domain, r.version]));
}
