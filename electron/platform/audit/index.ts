export { AuditLog, type AuditRecord } from './AuditLog';
export { redact, redactUrlCredentials } from './redact';
