import { auditFileSettingsSchema, type auditRequests } from '../../../shared/contract/audit';
import { ChurchError } from '../../../shared/errors';
import { DEFAULT_AUDIT_FILE, auditFileProblem, type AuditFileSettings, type AuditLog } from '../../platform/audit';
import type { SettingsStore } from '../../platform/settings';
import type { DomainHandlers } from './types';

const AUDIT_FILE_KEY = 'audit.file';

export function readAuditFileSettings(settings: SettingsStore): AuditFileSettings {
  return settings.get(AUDIT_FILE_KEY, auditFileSettingsSchema, DEFAULT_AUDIT_FILE);
}

/** Points the audit log at the file its settings name (every process that writes entries does this at start). */
export function applyAuditFileSettings(audit: AuditLog, settings: SettingsStore): void {
  const s = readAuditFileSettings(settings);
  audit.useFile(s.path && auditFileProblem(s.path) === null ? s : { ...s, path: null });
}

export function auditHandlers(audit: AuditLog, settings: SettingsStore): DomainHandlers<typeof auditRequests> {
  return {
    'audit.fileSettings': () => readAuditFileSettings(settings),
    'audit.setFileSettings': (patch) => {
      const next = { ...readAuditFileSettings(settings), ...patch };
      const problem = next.path === null ? null : auditFileProblem(next.path);
      if (problem) throw new ChurchError('INVALID_INPUT', `${problem}; e.g. /home/you/church/audit.jsonl`);
      const saved = settings.set(AUDIT_FILE_KEY, auditFileSettingsSchema, next);
      audit.useFile(saved);
      return saved;
    },
  };
}
