import type { AuditEntry } from '../../../shared/dto/system';
import { migrate, type Db, type Migration } from '../db';
import { redact } from './redact';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'audit log, append-only',
    up: (db) => {
      db.exec(`
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          input TEXT NOT NULL,
          ok INTEGER NOT NULL,
          error_code TEXT,
          duration_ms INTEGER NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      `);
    },
  },
];

export interface AuditRecord {
  actor: string;
  action: string;
  input: unknown;
  ok: boolean;
  errorCode?: string | null;
  durationMs?: number;
}

/** Who did what, when, and how it ended. Rows can be added, never changed: triggers refuse it. */
export class AuditLog {
  private readonly insert;
  constructor(private readonly db: Db) {
    migrate(db, 'audit', migrations);
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, input, ok, error_code, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  write(rec: AuditRecord): void {
    const input = JSON.stringify(redact(rec.input) ?? null).slice(0, 8000);
    this.insert.run(
      new Date().toISOString(),
      rec.actor,
      rec.action,
      input,
      rec.ok ? 1 : 0,
      rec.errorCode ?? null,
      Math.round(rec.durationMs ?? 0),
    );
  }

  recent(limit: number): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT id, at, actor, action, input, ok, error_code, duration_ms FROM audit_log ORDER BY id DESC LIMIT ?')
      .all(limit) as {
      id: number;
      at: string;
      actor: string;
      action: string;
      input: string;
      ok: number;
      error_code: string | null;
      duration_ms: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      input: r.input,
      ok: r.ok === 1,
      errorCode: r.error_code,
      durationMs: r.duration_ms,
    }));
  }
}
