import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, redact } from '../../electron/platform/audit';
import { migrate, openDatabase, schemaVersions } from '../../electron/platform/db';
import { tempDir } from '../helpers/tempDir';

describe('database', () => {
  const dir = tempDir();

  it('opens in WAL mode with foreign keys on', () => {
    const db = openDatabase(join(dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies numbered migrations once, per domain, and records the version', () => {
    const db = openDatabase(join(dir, 'b.sqlite'));
    let runs = 0;
    const steps = [
      { version: 1, name: 'one', up: () => void runs++ },
      { version: 2, name: 'two', up: (d: Database.Database) => d.exec('CREATE TABLE t (x)') },
    ];
    expect(migrate(db, 'demo', steps)).toBe(2);
    expect(migrate(db, 'demo', steps)).toBe(2);
    expect(runs).toBe(1);
    expect(migrate(db, 'other', [steps[0]!])).toBe(1);
    expect(schemaVersions(db)).toEqual({ demo: 2, other: 1 });
    db.close();
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const db = openDatabase(join(dir, 'c.sqlite'));
    migrate(db, 'demo', [{ version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x)') }]);
    expect(() =>
      migrate(db, 'demo', [
        { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x)') },
        {
          version: 2,
          name: 'broken',
          up: (d) => {
            d.exec('CREATE TABLE b (x)');
            throw new Error('disk full');
          },
        },
      ]),
    ).toThrow('disk full');
    expect(schemaVersions(db)).toEqual({ demo: 1 });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses data written by a newer schema instead of corrupting it', () => {
    const db = openDatabase(join(dir, 'd.sqlite'));
    migrate(db, 'demo', [
      { version: 1, name: 'one', up: () => undefined },
      { version: 2, name: 'two', up: () => undefined },
    ]);
    expect(() => migrate(db, 'demo', [{ version: 1, name: 'one', up: () => undefined }])).toThrow(/newer version/);
    db.close();
  });

  it('keeps the audit log append-only and redacts secrets', () => {
    const db = openDatabase(join(dir, 'e.sqlite'));
    const audit = new AuditLog(db);
    audit.write({ actor: 'cli', action: 'stripe.setKey', input: { key: 'rk_live_abcdef123456', note: 'uses sk_test_zzzzzzzzzzzz' }, ok: true });
    const [row] = audit.recent(1);
    expect(row!.input).not.toContain('abcdef123456');
    expect(row!.input).not.toContain('zzzzzzzzzzzz');
    expect(row!.input).toContain('[redacted]');
    expect(() => db.prepare('UPDATE audit_log SET ok = 0').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(audit.recent(10)).toHaveLength(1);
    db.close();
  });

  it('redacts nested secret fields and bearer tokens', () => {
    expect(redact({ smtp: { password: 'hunter2', host: 'mail' }, header: 'Bearer abc.def' })).toEqual({
      smtp: { password: '[redacted]', host: 'mail' },
      header: 'Bearer a…[redacted]',
    });
  });
});
