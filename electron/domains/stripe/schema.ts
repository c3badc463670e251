import type { Migration } from '../../platform/db';

/**
 * One table of Stripe objects as Stripe sent them (JSON), keyed by type and id, with the few columns the
 * queries filter on. A backfill writes into `stripe_stage` and swaps type by type in one transaction, so a
 * sync that fails halfway never shows half a copy.
 */
export const stripeMigrations: Migration[] = [
  {
    version: 1,
    name: 'stripe objects, staging and sync state',
    up: (db) => {
      db.exec(`
        CREATE TABLE stripe_object (
          type TEXT NOT NULL,
          id TEXT NOT NULL,
          customer TEXT,
          created INTEGER NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0,
          data TEXT NOT NULL,
          PRIMARY KEY (type, id)
        ) WITHOUT ROWID;
        CREATE INDEX stripe_object_customer ON stripe_object (customer, type);
        CREATE INDEX stripe_object_type_created ON stripe_object (type, created);
        CREATE TABLE stripe_stage (
          type TEXT NOT NULL,
          id TEXT NOT NULL,
          customer TEXT,
          created INTEGER NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0,
          data TEXT NOT NULL,
          PRIMARY KEY (type, id)
        ) WITHOUT ROWID;
        CREATE TABLE stripe_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
    },
  },
];
