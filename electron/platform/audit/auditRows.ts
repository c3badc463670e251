import type { AuditEntry } from '../../../shared/dto/system';

/** A row of `audit_log` as SQLite returns it. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  input: string;
  ok: number;
  error_code: string | null;
  duration_ms: number;
}

export const AUDIT_COLUMNS = 'id, at, actor, action, input, ok, error_code, duration_ms';

export function toAuditEntry(r: AuditRow): AuditEntry {
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, input: r.input, ok: r.ok === 1, errorCode: r.error_code, durationMs: r.duration_ms };
}
