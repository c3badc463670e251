import type { AuditEntry } from '../../../shared/dto/system';
import { migrate, type Db, type Migration } from '../db';
import { AuditFile, type AuditFileSettings } from './AuditFile';
import { AUDIT_COLUMNS, toAuditEntry, type AuditRow } from './auditRows';
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
  private file: AuditFile | null = null;
  /** Told when the JSON-lines file cannot be written (the entry is in the database all the same). */
  onFileError: (e: unknown) => void = () => undefined;

  constructor(private readonly db: Db) {
    migrate(db, 'audit', migrations);
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, input, ok, error_code, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Also append every entry to a JSON-lines file (null: stop). */
  useFile(settings: AuditFileSettings): void {
    this.file = settings.path ? new AuditFile({ ...settings, path: settings.path }) : null;
  }

  write(rec: AuditRecord): void {
    const input = JSON.stringify(redact(rec.input) ?? null).slice(0, 8000);
    const at = new Date().toISOString();
    const durationMs = Math.round(rec.durationMs ?? 0);
    const { lastInsertRowid } = this.insert.run(at, rec.actor, rec.action, input, rec.ok ? 1 : 0, rec.errorCode ?? null, durationMs);
    if (!this.file) return;
    // The file holds the database's row as written: the same redacted input, the same id and time.
    const entry: AuditEntry = { id: Number(lastInsertRowid), at, actor: rec.actor, action: rec.action, input, ok: rec.ok, errorCode: rec.errorCode ?? null, durationMs };
    try {
      this.file.append(entry);
    } catch (e) {
      this.onFileError(e);
    }
  }

  recent(limit: number): AuditEntry[] {
    return (this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`).all(limit) as AuditRow[]).map(toAuditEntry);
  }
}
