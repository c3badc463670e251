// What a front end may do without a composed host: list and restore snapshots while the database cannot be
// opened (or must not be: a restore needs the studio closed), load the same sqlite build the host would, explain
// a database failure in the recovery screen's words, read a kill-switch plan file the owner points at, and write a new lab secret file.
export { listLocalSnapshots, offlineRepository, fetchResticSnapshot, restoreLocalSnapshot, useSqliteBinding, explainDatabaseFailure } from '../domains/backup';
// restic's own variables, read by a CLI attached to a running studio to pass its repository and password for one call.
export { resticFromEnv } from '../domains/backup';
export { parsePlan } from '../domains/killswitch';
// `church lab secret --new FILE` writes a lab secret without a studio (on an agent's host too).
export { writeNewLabSecret } from '../domains/lab';
export { openAuditReader, type AuditReader } from '../platform/audit';
