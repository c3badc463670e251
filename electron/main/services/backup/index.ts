export { BackupService, DEFAULT_BACKUP_SETTINGS, RESTIC_PASSWORD_SECRET, type BackupDeps } from './BackupService';
export { takeSnapshot, takeSnapshotSync, verifyCopy, EXTRA_FILES } from './takeSnapshot';
export { listLocalSnapshots, backupsDir, snapshotPath, pruneLocalSnapshots } from './snapshotFolder';
export { ResticRepository } from './ResticRepository';
export { fetchResticSnapshot } from './fetchResticSnapshot';
export { restoreLocalSnapshot, restoreFromFolder, keepAside, scheduleRestore, applyPendingRestore, newestVerifiedSnapshot, DATABASE_FILES } from './restoreSnapshot';
export { checkDatabaseFile, asDatabaseProblem, describeStartFailure, performRecovery, DatabaseProblem, type StartFailure } from './startFailure';
export { rowCounts, tableChecksums, userTables } from './tableDigest';
export { readBackupSettingsOffline, offlineRepository } from './offlineSettings';
