import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { listLocalSnapshots, rowCounts, takeSnapshot } from '../../electron/domains/backup';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { checksumsOf, makeBackupService, seedStudio } from '../helpers/backup';
import { waitFor } from '../helpers/waitFor';

describe('local snapshots', () => {
  it('copies the database, plan file and presets, verifies them and keeps N generations', async () => {
    const dataDir = tempDir('church-backup-');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      seedStudio(host);
      host.backup.setSettings({ keep: 2 });
      const first = await host.backup.run({ restic: false });
      expect(first.ok, first.error ?? '').toBe(true);
      const snap = first.snapshot!;
      expect(snap.verified).toBe(true);
      expect(snap.files.sort()).toEqual(['killswitch-plan.json', 'presets']);
      const folder = join(dataDir, 'backups', snap.id);
      // Equal to the source, table by table (the studio is idle, so source and copy are the same moment).
      // (settings differs by one row: the run records its own result after the copy was taken)
      const { settings: _copySettings, ...copy } = checksumsOf(join(folder, 'studio.sqlite'));
      const { settings: _liveSettings, ...live } = checksumsOf(join(dataDir, 'studio.sqlite'));
      expect(copy).toEqual(live);
      expect(snap.tables.settings).toBeGreaterThanOrEqual(2);
      expect(snap.tables.videos).toBe(30);
      expect(readFileSync(join(folder, 'presets', 'mine.json'), 'utf8')).toContain('mine');
      if (process.platform !== 'win32') {
        expect(statSync(join(folder, 'studio.sqlite')).mode & 0o077).toBe(0);
        expect(statSync(join(dataDir, 'backups')).mode & 0o077).toBe(0);
      }
      // The copy is one self-contained file: no WAL beside it.
      expect(readdirSync(folder).sort()).toEqual(['killswitch-plan.json', 'manifest.json', 'presets', 'studio.sqlite']);

      await host.backup.run({ restic: false });
      await host.backup.run({ restic: false });
      const left = listLocalSnapshots(dataDir);
      expect(left).toHaveLength(2);
      expect(left.map((s) => s.id)).not.toContain(snap.id); // the oldest went first
      expect(host.backup.status().lastRun?.ok).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('a damaged source fails verification, leaves no snapshot folder and raises an alert', async () => {
    const dataDir = tempDir('church-backup-bad-');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    const alerts: string[] = [];
    const original = host.monitor.broadcastAlert.bind(host.monitor);
    host.monitor.broadcastAlert = (title, body) => {
      alerts.push(`${title}: ${body}`);
      return original(title, body);
    };
    try {
      seedStudio(host, 200);
      host.db.pragma('wal_checkpoint(TRUNCATE)');
      await host.close();
      // Damage one page of the videos table behind the studio's back.
      const file = join(dataDir, 'studio.sqlite');
      const probe = new Database(file, { readonly: true });
      const page = (probe.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'videos'").get() as { rootpage: number }).rootpage;
      const size = (probe.pragma('page_size', { simple: true }) as number);
      probe.close();
      const bytes = readFileSync(file);
      bytes.fill(0xa5, (page - 1) * size, page * size);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, bytes);
      const again = createHost({ dataDir, logError: () => undefined, startEngines: false });
      const sent: string[] = [];
      again.monitor.broadcastAlert = async (title, body) => {
        sent.push(`${title}: ${body}`);
        return 'sent';
      };
      try {
        const r = await again.backup.run({ restic: false });
        expect(r.ok).toBe(false);
        expect(r.error).toMatch(/integrity check|malformed|damaged/);
        expect(sent.join('\n')).toMatch(/^Backup failed: No snapshot was written/);
        expect(listLocalSnapshots(dataDir)).toEqual([]);
        expect(readdirSync(join(dataDir, 'backups')).filter((n) => n.startsWith('.partial'))).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      expect(alerts).toEqual([]);
    }
  });

  it('a snapshot taken while an import writes is one consistent moment', async () => {
    const dataDir = tempDir('church-backup-import-');
    const media = join(dataDir, 'incoming');
    const seed = await makeClip(join(dataDir, 'seed.mp4'), { seconds: 1 });
    const { mkdirSync, appendFileSync } = await import('node:fs');
    mkdirSync(media);
    for (let i = 0; i < 24; i++) {
      const f = join(media, `clip ${String(i).padStart(2, '0')}.mp4`);
      copyFileSync(seed, f);
      const free = Buffer.alloc(16);
      free.writeUInt32BE(16, 0);
      free.write('free', 4, 'latin1');
      free.writeUInt32BE(i, 8);
      appendFileSync(f, free); // a distinct file each (no duplicates)
    }
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      const importing = host.library.import([media], { assets: false });
      // Start once the import has written some rows, so the snapshot meets it mid-way on a loaded machine too.
      const count = () => (host.db.prepare('SELECT count(*) AS n FROM videos').get() as { n: number }).n;
      await waitFor('the import to write its first rows', () => count() > 0, 120_000, 5);
      expect(count()).toBeGreaterThan(0);
      const snap = await takeSnapshot(join(dataDir, 'studio.sqlite'), { dataDir, reason: 'manual', keep: 5, pagesPerStep: 1 });
      const summary = await importing;
      const copy = new Database(join(dataDir, 'backups', snap.id, 'studio.sqlite'), { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        // The manifest's counts are the copy's counts, and the search index agrees with the rows it indexes.
        expect(rowCounts(copy)).toEqual(snap.tables);
        const videos = snap.tables.videos!;
        expect(snap.tables.videos_fts).toBe(videos);
        expect(videos).toBeGreaterThan(0);
        expect(videos).toBeLessThanOrEqual(24);
      } finally {
        copy.close();
      }
      expect(summary).toBeTruthy();
      expect(count()).toBe(24);
    } finally {
      await host.close();
    }
  }, 240_000);

  it('the schedule takes a snapshot when one is due and plans the next one an interval later', async () => {
    const dataDir = tempDir('church-backup-schedule-');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    const service = makeBackupService(host, { firstRunDelayMs: 10 });
    try {
      seedStudio(host, 3);
      service.start();
      await waitFor('the scheduled snapshot', () => service.status().lastRun, 60_000);
      const last = service.status().lastRun;
      expect(last).toMatchObject({ ok: true, snapshot: { reason: 'scheduled', verified: true } });
      // The next run is planned once this one has finished: a day after it.
      const planned = () => new Date(service.status().nextRunAt ?? 0).getTime() - new Date(last!.at).getTime();
      await expect.poll(planned, { timeout: 30_000 }).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    } finally {
      await service.close();
      await host.close();
    }
  }, 90_000);

  it('nothing is written when the data dir has no database yet', async () => {
    const dataDir = tempDir('church-backup-none-');
    await expect(takeSnapshot(join(dataDir, 'studio.sqlite'), { dataDir, reason: 'manual', keep: 3 })).rejects.toThrow();
    expect(existsSync(join(dataDir, 'backups')) ? readdirSync(join(dataDir, 'backups')) : []).toEqual([]);
  });
});
