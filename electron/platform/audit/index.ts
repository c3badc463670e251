export { AuditLog, type AuditRecord } from './AuditLog';
export { AuditFile, DEFAULT_AUDIT_FILE, auditFileProblem, type AuditFileSettings } from './AuditFile';
export { openAuditReader, type AuditReader } from './auditReader';
export { redact, redactUrlCredentials } from './redact';
