import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { ResticRepository } from '../../electron/domains/backup';
import { resolveOnPath } from '../helpers/onPath';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { checksumsOf, makeBackupService, seedStudio } from '../helpers/backup';

const PASSWORD = 'correct horse battery staple';
const restic = resolveOnPath('restic');
if (!restic) console.warn('restic is not installed (apt-get install restic); the restic tests cannot run here');

describe.skipIf(!restic)('restic off-machine copies (a real repository in a temp dir)', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('church-restic-');
  });

  it('backup, list and restore round-trip equal to the source; the current database is kept aside', async () => {
    const dataDir = join(root, 'studio');
    const repo = join(root, 'repo');
    const env = { ...process.env, RESTIC_PASSWORD: PASSWORD, STRIPE_API_KEY: 'rk_test_secret' };
    const host = createHost({ dataDir, env, logError: () => undefined, startEngines: false });
    let before: Record<string, string>;
    let resticId: string;
    try {
      seedStudio(host);
      host.backup.setSettings({ restic: { repository: repo, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, checkEveryDays: 7 } });
      const r = await host.backup.run({ restic: true });
      expect(r.error).toBeNull();
      expect(r.restic?.dataAdded).toBeGreaterThan(0);
      resticId = r.restic!.snapshotId;
      const list = await host.backup.list();
      expect(list.resticProblem).toBeNull();
      expect(list.restic.map((s) => s.shortId)).toContain(resticId);
      expect(list.restic[0]?.localId).toBe(r.snapshot!.id);
      const check = await host.backup.check();
      expect(check.ok, check.message).toBe(true);
      host.db.pragma('wal_checkpoint(TRUNCATE)');
      before = checksumsOf(join(dataDir, 'studio.sqlite'));
    } finally {
      await host.close();
    }
    // The local snapshots are lost with the disk; only the repository is left.
    rmSync(join(dataDir, 'backups'), { recursive: true, force: true });
    const listed = await church(['backups', '--json', '--data-dir', dataDir], { env: { RESTIC_PASSWORD: PASSWORD } });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { restic: { shortId: string }[] }).restic.map((s) => s.shortId)).toContain(resticId);

    const restored = await church(['restore', resticId, '--yes', '--json', '--data-dir', dataDir], { env: { RESTIC_PASSWORD: PASSWORD } });
    expect(restored.code, restored.stderr).toBe(0);
    const outcome = JSON.parse(restored.stdout) as { keptAside: string; restoredId: string };
    expect(existsSync(join(outcome.keptAside, 'studio.sqlite'))).toBe(true);
    const after = checksumsOf(join(dataDir, 'studio.sqlite'));
    // Row counts and a checksum of every table equal the source, except the run's own result row in settings
    // (written after the copy was taken).
    const { settings: _a, ...restoredTables } = after;
    const { settings: _b, ...sourceTables } = before!;
    expect(restoredTables).toEqual(sourceTables);
    expect(readdirSync(join(dataDir, 'presets'))).toEqual(['mine.json']);
    // The restored studio opens and finds its work.
    const again = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      expect(again.library.search({ limit: 100 }).items).toHaveLength(30);
    } finally {
      await again.close();
    }
  }, 180_000);

  it('a wrong password is a clear error and loses nothing', async () => {
    const dataDir = join(root, 'studio');
    const repo = new ResticRepository({ repository: join(root, 'repo'), password: PASSWORD });
    const snapshotsBefore = (await repo.snapshots()).map((s) => s.id);
    const dbBefore = checksumsOf(join(dataDir, 'studio.sqlite'));
    const r = await church(['backup', '--restic', '--data-dir', dataDir], { env: { RESTIC_PASSWORD: 'not the password' } });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/restic password does not open the repository .*Settings → Backups/);
    expect(r.stderr).not.toContain('not the password');
    // The local snapshot was still written and verified; the repository and the database are as they were.
    expect((await repo.snapshots()).map((s) => s.id)).toEqual(snapshotsBefore);
    // (settings holds the run's result and audit_log the call itself: both are meant to change)
    const { settings: _a, audit_log: _c, ...now } = checksumsOf(join(dataDir, 'studio.sqlite'));
    const { settings: _b, audit_log: _d, ...was } = dbBefore;
    expect(now).toEqual(was);
  }, 120_000);

  it('retention keeps the counts it promises (local generations and restic daily)', async () => {
    const dataDir = join(root, 'retention');
    const repoDir = join(root, 'repo-retention');
    const host = createHost({ dataDir, env: { ...process.env, RESTIC_PASSWORD: PASSWORD }, logError: () => undefined, startEngines: false });
    try {
      seedStudio(host, 5);
      host.backup.setSettings({ keep: 3, restic: { repository: repoDir, keepDaily: 2, keepWeekly: 0, keepMonthly: 0, checkEveryDays: 7 } });
      // Four backups on four consecutive days (the clock is the service's; restic records the same times).
      let day = 0;
      const service = makeBackupService(host, { now: () => new Date(Date.UTC(2026, 0, 10 + day, 12, 0, 0)) });
      for (day = 0; day < 4; day++) {
        const r = await service.run({ restic: true });
        expect(r.error).toBeNull();
      }
      const list = await service.list();
      expect(list.local.map((s) => s.createdAt.slice(0, 10))).toEqual(['2026-01-13', '2026-01-12', '2026-01-11']);
      expect(list.restic.map((s) => s.localId?.slice(0, 8))).toEqual(['20260113', '20260112']);
    } finally {
      await host.close();
    }
  }, 240_000);
});
