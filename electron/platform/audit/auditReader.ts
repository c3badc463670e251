import Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/dto/system';
import { AUDIT_COLUMNS, toAuditEntry, type AuditRow } from './auditRows';

export interface AuditReader {
  /** Entries with an id above `afterId`, oldest first. */
  after(afterId: number, limit: number): AuditEntry[];
  /** The newest `limit` entries, oldest first. */
  newest(limit: number): AuditEntry[];
  close(): void;
}

/**
 * The audit log read straight from the database file, read-only and without the studio's lock: `church audit
 * --follow` polls it for hours while the studio (or any `church` command) writes, and a studio started meanwhile
 * still becomes the primary one. SQLite's WAL lets this reader see each committed entry.
 */
export function openAuditReader(file: string, nativeBinding?: string): AuditReader {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  const hasTable = () => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
  return {
    after(afterId, limit) {
      if (!hasTable()) return [];
      return (db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`).all(afterId, limit) as AuditRow[]).map(toAuditEntry);
    },
    newest(limit) {
      if (!hasTable()) return [];
      return (db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`).all(limit) as AuditRow[]).map(toAuditEntry).reverse();
    },
    close() {
      db.close();
    },
  };
}
