import type { z } from 'zod';
import { ChurchError } from '../../../shared/errors';
import { migrate, type Db, type Migration } from '../db';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'settings',
    up: (db) => db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)'),
  },
];

type StoredRow = { value: string };

function parseStored<S extends z.ZodType>(row: StoredRow | undefined, schema: S, fallback: z.output<S>): z.output<S> {
  if (!row) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/**
 * One setting read without the store, which would migrate its table first: for code that runs before the
 * migrations (the pre-migration snapshot). A database without the settings table reads as the fallback.
 */
export function peekSetting<S extends z.ZodType>(db: Db, key: string, schema: S, fallback: z.output<S>): z.output<S> {
  try {
    return parseStored(db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as StoredRow | undefined, schema, fallback);
  } catch {
    return fallback;
  }
}

/**
 * Non-secret settings as JSON values, each read through the zod schema of its owner so a value written by
 * an older build (or edited by hand) that no longer fits falls back to the default instead of crashing.
 * Secrets never go here: they belong in the SecretStore.
 */
export class SettingsStore {
  private readonly getStmt;
  private readonly setStmt;
  constructor(db: Db) {
    migrate(db, 'settings', migrations);
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get<S extends z.ZodType>(key: string, schema: S, fallback: z.output<S>): z.output<S> {
    return parseStored(this.getStmt.get(key) as StoredRow | undefined, schema, fallback);
  }

  set<S extends z.ZodType>(key: string, schema: S, value: unknown): z.output<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ChurchError('INVALID_INPUT', `setting ${key} rejected: ${first ? `${first.path.join('.') || 'value'}: ${first.message}` : 'invalid'}`);
    }
    this.setStmt.run(key, JSON.stringify(parsed.data), new Date().toISOString());
    return parsed.data;
  }
}
