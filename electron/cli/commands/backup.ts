import type { BackupList, BackupRunResult, RestoreOutcome } from '../../../shared/dto/backup';
import { ChurchError } from '../../../shared/errors';
import { acquirePrimary } from '../../host/primaryLock';
import { findLiveInstance } from '../../host/instance';
import { fetchResticSnapshot, listLocalSnapshots, offlineRepository, restoreLocalSnapshot } from '../../host/offline';
import type { CliCommand } from '../command';
import { confirmTyped } from '../confirmTyped';
import { resticForOneCall } from './backupRestic';
import { isLiveTerminal } from '../terminal';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function renderRun(r: BackupRunResult): string {
  const lines: string[] = [];
  if (r.snapshot) {
    const rows = Object.values(r.snapshot.tables).reduce((a, b) => a + b, 0);
    lines.push(`✓ snapshot ${r.snapshot.id}: ${mb(r.snapshot.sizeBytes)}, ${rows} rows in ${Object.keys(r.snapshot.tables).length} tables, integrity ok${r.snapshot.files.length ? `, with ${r.snapshot.files.join(', ')}` : ''}`);
  }
  if (r.restic) lines.push(`✓ restic snapshot ${r.restic.snapshotId}: ${mb(r.restic.dataAdded)} uploaded`);
  if (r.error) lines.push(`✗ ${r.error}`);
  lines.push(`(${(r.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Take a verified snapshot of the studio now (--restic: also copy it to the restic repository)',
  usage: 'church backup [--restic] [--json]',
  options: { restic: { type: 'boolean' } },
  async run(ctx, args) {
    // Through the running studio when there is one: its Settings → Backups shows the progress.
    const client = await ctx.client();
    const interactive = !ctx.json && isLiveTerminal(ctx.stderr, ctx.env);
    const off = interactive
      ? client.on('backup.progress', (s) => {
          if (s.phase !== 'idle') ctx.stderr.write(`\r${s.phase} ${s.progress === null ? '' : `${Math.round(s.progress * 100)}%`}   `);
        })
      : () => undefined;
    let result: BackupRunResult;
    try {
      const restic = args.values.restic === true;
      result = await client.call('backup.run', { restic, resticRequired: restic, ...(restic ? await resticForOneCall(ctx, client) : {}) });
    } finally {
      off();
      if (interactive) ctx.stderr.write('\r\x1b[K');
    }
    if (!result.ok) {
      if (ctx.json) ctx.print(result, () => '');
      throw new ChurchError('EXTERNAL', `backup failed: ${result.error ?? 'unknown error'}`);
    }
    ctx.print(result, () => renderRun(result));
    return 0;
  },
};

function renderList(list: BackupList): string {
  const lines = ['Local snapshots (newest first):'];
  if (!list.local.length) lines.push('  none yet: run "church backup"');
  for (const s of list.local) {
    lines.push(`  ${s.id}  ${s.createdAt}  ${s.reason.padEnd(13)}  ${mb(s.sizeBytes).padStart(9)}  ${s.verified ? 'verified' : 'NOT verified'}`);
  }
  if (list.restic.length || list.resticProblem) lines.push('', 'Restic snapshots (newest first):');
  if (list.resticProblem) lines.push(`  ! ${list.resticProblem}`);
  for (const s of list.restic) lines.push(`  ${s.shortId}  ${s.time}  ${s.localId ? `from ${s.localId}` : ''}`);
  lines.push('', 'Restore one with: church restore ID --yes');
  return lines.join('\n');
}

export const backupsCommand: CliCommand = {
  name: 'backups',
  summary: 'List the snapshots (local and restic) that "church restore" can bring back',
  usage: 'church backups [--json]',
  async run(ctx) {
    let list: BackupList;
    try {
      const client = await ctx.client();
      list = await client.call('backup.list', await resticForOneCall(ctx, client));
    } catch (e) {
      // A damaged database must not hide the snapshots that would repair it.
      const local = listLocalSnapshots(ctx.dataDir);
      let restic: BackupList['restic'] = [];
      let resticProblem: string | null = `the studio's database could not be opened (${(e as Error).message.split('\n')[0]}), so only RESTIC_REPOSITORY is used for the restic list`;
      const repo = (() => {
        try {
          return offlineRepository(ctx.dataDir, ctx.env);
        } catch (err) {
          resticProblem = (err as Error).message;
          return null;
        }
      })();
      if (repo) {
        try {
          restic = await repo.snapshots();
          resticProblem = null;
        } catch (err) {
          resticProblem = (err as Error).message;
        }
      }
      list = { local, restic, resticProblem };
    }
    ctx.print(list, () => renderList(list));
    return 0;
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Restore a snapshot into the data dir (the current database is kept aside, never overwritten)',
  usage: 'church restore ID [--yes] [--json]',
  options: { yes: { type: 'boolean' } },
  async run(ctx, args) {
    const id = args.positionals[0];
    if (!id || args.positionals.length > 1) throw new ChurchError('INVALID_INPUT', 'name one snapshot; usage: church restore ID [--yes] ("church backups" lists them)');
    if (findLiveInstance(ctx.dataDir)) {
      throw new ChurchError('CONFLICT', 'the studio is running on this data dir and holds the database open; close it first, or restore from Settings → Backups → Restore… (it restores at once)');
    }
    if (args.values.yes !== true && !(await confirmTyped(ctx, `Restore snapshot ${id}? The current database is kept aside in kept-aside/.`, 'RESTORE'))) {
      throw new ChurchError('CANCELLED', `not confirmed: add --yes to restore ${id}`);
    }
    const lock = acquirePrimary(ctx.dataDir);
    try {
      if (!lock.isPrimary) throw new ChurchError('CONFLICT', 'another studio process (church serve or church mcp) has this data dir open; stop it first');
      let localId = id;
      if (!listLocalSnapshots(ctx.dataDir).some((s) => s.id === id)) {
        const repo = offlineRepository(ctx.dataDir, ctx.env);
        if (!repo) throw new ChurchError('NOT_FOUND', `there is no local snapshot ${id}, and no restic repository to look in: for a restic snapshot set RESTIC_REPOSITORY (or RESTIC_REPOSITORY_FILE) and RESTIC_PASSWORD (or RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND), or the repository with "church config set backup.restic.repository PATH"`);
        localId = await fetchResticSnapshot(ctx.dataDir, repo, id);
      }
      const outcome: RestoreOutcome = restoreLocalSnapshot(ctx.dataDir, localId);
      ctx.print(outcome, () => `✓ restored snapshot ${outcome.restoredId}${outcome.keptAside ? `; the previous database is kept in ${outcome.keptAside}` : ''}`);
      return 0;
    } finally {
      lock.release();
    }
  },
};

export const backupCommands = [backupCommand, backupsCommand, restoreCommand];
