import type { Db } from '../../platform/db';
import { migrate } from '../../platform/db';
import { STRIPE_OBJECT_TYPES, type StripeObjectType } from '../../../shared/dto/stripe';
import { stripeMigrations } from './schema';

/** A Stripe object as stored: the JSON Stripe sent, with the fields every object has. */
export interface StripeObjectJson {
  id: string;
  object: string;
  created?: number;
  deleted?: boolean;
  customer?: string | { id: string } | null;
  [field: string]: unknown;
}

export const OBJECT_TYPES: readonly StripeObjectType[] = STRIPE_OBJECT_TYPES;

export function isObjectType(s: string): s is StripeObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(s);
}

function customerOf(o: StripeObjectJson): string | null {
  if (o.object === 'customer') return o.id;
  const c = o.customer;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && typeof c.id === 'string') return c.id;
  return null;
}

/** Where the sync writes and the review reads. `generation` changes on every write, so readers can cache. */
export class StripeStore {
  private writes = 0;
  private readonly dataVersion;

  /**
   * Changes whenever the copy changes: writes through this store, and commits by another connection to the same
   * file (SQLite's data_version), so a long-running studio never serves a cache older than a CLI sync.
   */
  get generation(): string {
    return `${this.writes}:${this.dataVersion.pluck().get() as number}`;
  }

  private readonly upsertLive;
  private readonly upsertStage;
  private readonly markDeleted;
  private readonly getOne;
  private readonly getState;
  private readonly setState;

  constructor(readonly db: Db) {
    migrate(db, 'stripe', stripeMigrations);
    const upsert = (table: string) =>
      db.prepare(
        `INSERT INTO ${table} (type, id, customer, created, deleted, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(type, id) DO UPDATE SET customer = excluded.customer, created = excluded.created, deleted = excluded.deleted, data = excluded.data`,
      );
    this.upsertLive = upsert('stripe_object');
    this.upsertStage = upsert('stripe_stage');
    this.markDeleted = db.prepare('UPDATE stripe_object SET deleted = 1 WHERE type = ? AND id = ?');
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.getOne = db.prepare('SELECT data, deleted FROM stripe_object WHERE type = ? AND id = ?');
    this.getState = db.prepare('SELECT value FROM stripe_state WHERE key = ?');
    this.setState = db.prepare('INSERT INTO stripe_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  private row(type: StripeObjectType, o: StripeObjectJson): [string, string, string | null, number, number, string] {
    return [type, o.id, customerOf(o), Math.trunc(o.created ?? 0), o.deleted ? 1 : 0, JSON.stringify(o)];
  }

  /** Writes one page of a backfill into the staging table (its own small transaction). */
  stage(type: StripeObjectType, objects: StripeObjectJson[]): void {
    this.db.transaction(() => {
      for (const o of objects) this.upsertStage.run(...this.row(type, o));
    })();
  }

  /** Drops what a previous backfill staged (a fresh backfill starts clean). */
  clearStage(): void {
    this.db.prepare('DELETE FROM stripe_stage').run();
  }

  /**
   * Replaces the live copy of the given types with the staged one. Objects no longer listed by Stripe are kept
   * and marked deleted (a deleted customer keeps its invoices' history readable). Call inside a transaction.
   */
  swapFromStage(types: StripeObjectType[]): void {
    for (const type of types) {
      this.db.prepare('UPDATE stripe_object SET deleted = 1 WHERE type = ? AND id NOT IN (SELECT id FROM stripe_stage WHERE type = ?)').run(type, type);
      this.db
        .prepare(
          `INSERT INTO stripe_object (type, id, customer, created, deleted, data) SELECT type, id, customer, created, deleted, data FROM stripe_stage WHERE type = ?
           ON CONFLICT(type, id) DO UPDATE SET customer = excluded.customer, created = excluded.created, deleted = excluded.deleted, data = excluded.data`,
        )
        .run(type);
      this.db.prepare('DELETE FROM stripe_stage WHERE type = ?').run(type);
    }
    this.writes++;
  }

  /** Writes an object from an event or webhook into the live copy. Call inside a transaction for batches. */
  put(type: StripeObjectType, o: StripeObjectJson): void {
    this.upsertLive.run(...this.row(type, o));
    this.writes++;
  }

  markObjectDeleted(type: StripeObjectType, id: string): void {
    this.markDeleted.run(type, id);
    this.writes++;
  }

  get(type: StripeObjectType, id: string): StripeObjectJson | null {
    const r = this.getOne.get(type, id) as { data: string; deleted: number } | undefined;
    if (!r) return null;
    const o = JSON.parse(r.data) as StripeObjectJson;
    return r.deleted ? { ...o, deleted: true } : o;
  }

  /** Every live (not deleted) object of a type, parsed. */
  all<T>(type: StripeObjectType, opts: { includeDeleted?: boolean } = {}): T[] {
    const rows = this.db
      .prepare(`SELECT data, deleted FROM stripe_object WHERE type = ?${opts.includeDeleted ? '' : ' AND deleted = 0'}`)
      .all(type) as { data: string; deleted: number }[];
    return rows.map((r) => {
      const o = JSON.parse(r.data) as T & { deleted?: boolean };
      return r.deleted ? { ...o, deleted: true } : o;
    });
  }

  ofCustomer<T>(type: StripeObjectType, customer: string): T[] {
    const rows = this.db.prepare('SELECT data FROM stripe_object WHERE type = ? AND customer = ? AND deleted = 0 ORDER BY created DESC').all(type, customer) as {
      data: string;
    }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  counts(): Record<StripeObjectType, number> {
    const rows = this.db.prepare('SELECT type, COUNT(*) AS n FROM stripe_object WHERE deleted = 0 GROUP BY type').all() as { type: string; n: number }[];
    const out = Object.fromEntries(OBJECT_TYPES.map((t) => [t, 0])) as Record<StripeObjectType, number>;
    for (const r of rows) if (isObjectType(r.type)) out[r.type] = r.n;
    return out;
  }

  state<T>(key: string): T | null {
    const r = this.getState.get(key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : null;
  }

  setStateValue(key: string, value: unknown): void {
    if (value === null) this.db.prepare('DELETE FROM stripe_state WHERE key = ?').run(key);
    else this.setState.run(key, JSON.stringify(value));
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }
}
