import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db';

/** The user tables of a database (SQLite's own and FTS shadow tables left out: they follow from the rest). */
export function userTables(db: Db): string[] {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string; sql: string | null }[];
  const virtual = rows.filter((r) => /CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? '')).map((r) => r.name);
  return rows.map((r) => r.name).filter((n) => !virtual.some((v) => n.startsWith(`${v}_`)));
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Row count of every user table: what a snapshot promises to hold, compared against the copy. */
export function rowCounts(db: Db): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of userTables(db)) counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${quote(t)}`).get() as { n: number }).n;
  return counts;
}

/** A SHA-256 of every row of every user table, in rowid order: two databases with equal digests hold the same data. */
export function tableChecksums(db: Db): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const t of userTables(db)) {
    const hash = createHash('sha256');
    const sql = (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(t) as { sql: string | null } | undefined)?.sql ?? '';
    const rowidless = /WITHOUT\s+ROWID/i.test(sql);
    const order = rowidless ? '' : ' ORDER BY rowid';
    for (const row of db.prepare(`SELECT * FROM ${quote(t)}${order}`).raw().iterate() as Iterable<unknown[]>) {
      hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v)));
      hash.update('\n');
    }
    sums[t] = hash.digest('hex');
  }
  return sums;
}

/** Names of tables whose counts differ, as "table: expected → found". */
export function countDifferences(expected: Record<string, number>, found: Record<string, number>): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(found)]);
  return [...names].filter((n) => expected[n] !== found[n]).map((n) => `${n}: ${expected[n] ?? 'missing'} → ${found[n] ?? 'missing'}`);
}
