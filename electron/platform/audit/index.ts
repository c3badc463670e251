export { AuditLog, type AuditRecord } from './AuditLog';
export { redact } from './redact';
