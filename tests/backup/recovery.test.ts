import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { RecoverableStudio, startOrRecover, type StartFailureUi } from '../../electron/host/startOrRecover';
import { DatabaseProblem, listLocalSnapshots, type StartFailure } from '../../electron/domains/backup';
import { church, startServe } from '../helpers/cli';
import { connectWs } from '../helpers/wsClient';
import { tempDir } from '../helpers/tempDir';
import { checksumsOf, damageTablePage, seedStudio } from '../helpers/backup';

/** A recovery screen that answers as the owner would and remembers what it was shown. */
function fakeScreen(answer: StartFailure['choices'][number]): StartFailureUi & { shown: StartFailure[] } {
  const shown: StartFailure[] = [];
  return {
    shown,
    choose: async (f) => {
      shown.push(f);
      return shown.length === 1 ? answer : 'quit';
    },
    recoveryFailed: async (m) => {
      throw new Error(`recovery failed: ${m}`);
    },
  };
}

async function studioWithSnapshot(prefix: string): Promise<{ dataDir: string; snapshotTables: Record<string, string> }> {
  const dataDir = tempDir(prefix);
  const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
  try {
    seedStudio(host, 50);
    const r = await host.backup.run({ restic: false });
    expect(r.ok, r.error ?? '').toBe(true);
    host.db.pragma('wal_checkpoint(TRUNCATE)');
    return { dataDir, snapshotTables: checksumsOf(join(dataDir, 'backups', r.snapshot!.id, 'studio.sqlite')) };
  } finally {
    await host.close();
  }
}

describe('a broken database on start', () => {
  it('the CLI names a junk studio.sqlite in one line, exits 1, leaves the file alone and releases primary.lock', async () => {
    const dataDir = tempDir('church-junk-');
    writeFileSync(join(dataDir, 'studio.sqlite'), 'this is not a database, it is a shopping list\n'.repeat(200));
    const before = readFileSync(join(dataDir, 'studio.sqlite'));
    // (church serve serves the recovery screen instead: tests/e2e/recovery.test.ts)
    for (const args of [['doctor'], ['list']]) {
      const r = await church([...args, '--data-dir', dataDir]);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^church: the studio's database .*studio\.sqlite is damaged .*keep it aside and start with an empty library/);
      expect(existsSync(join(dataDir, 'primary.lock'))).toBe(false);
    }
    expect(readFileSync(join(dataDir, 'studio.sqlite')).equals(before)).toBe(true);
    const json = await church(['doctor', '--json', '--data-dir', dataDir]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  }, 120_000);

  it('a corrupted page is found on start and the newest verified snapshot is restored; the damaged file is kept aside', async () => {
    const { dataDir, snapshotTables } = await studioWithSnapshot('church-corrupt-');
    damageTablePage(join(dataDir, 'studio.sqlite'));
    expect(() => createHost({ dataDir, logError: () => undefined })).toThrow(DatabaseProblem);
    expect(existsSync(join(dataDir, 'primary.lock'))).toBe(false);

    const cli = await church(['doctor', '--data-dir', dataDir]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/damaged .*restore the newest verified snapshot \(\d{8}-\d{6}-\d{3}/);
    // A one-shot command skips the full check to start quickly; the page it reads says the same.
    const search = await church(['list', '--data-dir', dataDir]);
    expect(search.code).toBe(1);
    expect(search.stderr.trim().split('\n'), search.stderr).toHaveLength(1);
    expect(search.stderr).toMatch(/^church: the studio's database .* is damaged .*church restore ID --yes/);

    const screen = fakeScreen('restore-newest');
    // As the desktop app starts: the primary process checks the file before using it.
    const host = await startOrRecover({ dataDir, logError: () => undefined, startEngines: false, checkDatabase: true }, screen);
    expect(host).not.toBeNull();
    try {
      expect(screen.shown).toHaveLength(1);
      expect(screen.shown[0]).toMatchObject({ kind: 'database', problem: 'corrupt', choices: ['restore-newest', 'start-empty', 'quit'] });
      expect(screen.shown[0]!.message).toMatch(/is damaged/);
      expect(host!.library.search({ limit: 100 }).items).toHaveLength(50);
      // The restored studio's audit log records the recovery (the only row the snapshot did not hold).
      expect(host!.audit.recent(5).map((e) => e.action)).toContain('recovery.choose');
    } finally {
      await host!.close();
    }
    const { settings: _a, audit_log: _c, ...restored } = checksumsOf(join(dataDir, 'studio.sqlite'));
    const { settings: _b, audit_log: _d, ...snap } = snapshotTables;
    expect(restored).toEqual(snap);
    const kept = join(dataDir, 'kept-aside');
    const [folder] = (await import('node:fs')).readdirSync(kept);
    expect(existsSync(join(kept, folder!, 'studio.sqlite'))).toBe(true);
  }, 120_000);

  it('"keep it aside and start empty" moves the database away and opens an empty library', async () => {
    const dataDir = tempDir('church-empty-');
    writeFileSync(join(dataDir, 'studio.sqlite'), Buffer.alloc(8192, 0x42));
    const screen = fakeScreen('start-empty');
    const host = await startOrRecover({ dataDir, logError: () => undefined, startEngines: false }, screen);
    try {
      expect(screen.shown[0]!.choices).toEqual(['start-empty', 'quit']); // no snapshot to offer
      expect(host!.library.search({ limit: 10 }).items).toHaveLength(0);
    } finally {
      await host!.close();
    }
    const kept = (await import('node:fs')).readdirSync(join(dataDir, 'kept-aside'));
    expect(readFileSync(join(dataDir, 'kept-aside', kept[0]!, 'studio.sqlite')).equals(Buffer.alloc(8192, 0x42))).toBe(true);
  });

  it('church serve on a broken database answers the recovery calls over its WebSocket; Quit ends it with exit 1 and one line', async () => {
    const dataDir = tempDir('church-serve-quit-');
    writeFileSync(join(dataDir, 'studio.sqlite'), 'junk'.repeat(4096));
    const serve = await startServe(dataDir);
    try {
      const token = new URL(serve.url).searchParams.get('token')!;
      const client = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, {}, ['church.v1', `church.token.${token}`]);
      client.send(JSON.stringify({ id: 1, name: 'recovery.status', input: {} }));
      expect(await client.next((m) => m.type === 'result')).toMatchObject({ result: { ok: true, value: { state: 'recovery', failure: { problem: 'corrupt' } } } });
      client.send(JSON.stringify({ id: 2, name: 'library.search', input: { limit: 1 } }));
      expect(await client.next((m) => m.type === 'result')).toMatchObject({ result: { ok: false, error: { code: 'UNAVAILABLE' } } });
      const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
      client.send(JSON.stringify({ id: 3, name: 'recovery.choose', input: { choice: 'quit' } }));
      expect(await exited).toBe(1);
      client.close();
      // One error line on stderr (JSON: startServe runs serve --json); the others are its JSON log lines.
      const lines = serve.stderr().trim().split('\n').map((l) => JSON.parse(l) as { error?: unknown; level?: string });
      const errors = lines.filter((l) => l.error);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^Quit was chosen on the recovery screen/) } });
      expect(lines.filter((l) => !l.error).every((l) => typeof l.level === 'string')).toBe(true);
    } finally {
      await serve.stop();
    }
    expect(readFileSync(join(dataDir, 'studio.sqlite'), 'utf8')).toBe('junk'.repeat(4096));
    expect(existsSync(join(dataDir, 'primary.lock'))).toBe(false);
  }, 60_000);

  it('quitting leaves everything as it was and no lock behind', async () => {
    const dataDir = tempDir('church-quit-');
    writeFileSync(join(dataDir, 'studio.sqlite'), 'junk');
    const host = await startOrRecover({ dataDir, logError: () => undefined }, fakeScreen('quit'));
    expect(host).toBeNull();
    expect(readFileSync(join(dataDir, 'studio.sqlite'), 'utf8')).toBe('junk');
    expect(existsSync(join(dataDir, 'primary.lock'))).toBe(false);
  });

  it('a database from a newer version is named as such, by the recovery screen and the CLI', async () => {
    const dataDir = tempDir('church-newer-');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    await host.close();
    const db = new Database(join(dataDir, 'studio.sqlite'));
    db.prepare("UPDATE schema_version SET version = 99 WHERE domain = 'library'").run();
    db.close();
    const screen = fakeScreen('quit');
    expect(await startOrRecover({ dataDir, logError: () => undefined }, screen)).toBeNull();
    expect(screen.shown[0]).toMatchObject({ kind: 'database', problem: 'newer-schema', title: 'The database is from a newer version' });
    const r = await church(['doctor', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/written by a newer version of the studio.*Install the newer version/);
  }, 60_000);

  it('anything else that stops the start is shown with what to do, and only Quit is offered', async () => {
    const parent = tempDir('church-notdir-');
    const dataDir = join(parent, 'data');
    writeFileSync(dataDir, 'a file where the data folder should be');
    const screen = fakeScreen('quit');
    expect(await startOrRecover({ dataDir, logError: () => undefined }, screen)).toBeNull();
    expect(screen.shown[0]).toMatchObject({ kind: 'other', choices: ['quit'] });
    expect(screen.shown[0]!.message).toMatch(/could not start: .*church doctor --data-dir/);
    // church serve serves the recovery screen only for a database it could recover; this it says in one line.
    const serve = await church(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(serve.code).toBe(1);
    expect(serve.stderr.trim().split('\n')).toHaveLength(1);
    expect(serve.stderr).toMatch(/^church: The studio could not start: .*church doctor --data-dir/);
  }, 60_000);
});

describe('restore and migrations', () => {
  it('a restore asked of a bare host (an in-process client, no RecoverableStudio) happens on the next start, before the database opens', async () => {
    const { dataDir } = await studioWithSnapshot('church-pending-');
    const [snap] = listLocalSnapshots(dataDir);
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      host.library.remove(host.library.search({ limit: 100 }).items.map((v) => v.id));
      const r = await host.dispatch('backup.restore', { id: snap!.id }, { actor: 'ui' });
      expect(r).toMatchObject({ ok: true, value: { restoredId: snap!.id, pending: true } });
      expect(host.library.search({ limit: 100 }).items).toHaveLength(0); // nothing changes under the running studio
    } finally {
      await host.close();
    }
    const next = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      expect(next.library.search({ limit: 100 }).items).toHaveLength(50);
    } finally {
      await next.close();
    }
    const refused = await church(['restore', 'nonsense', '--yes', '--data-dir', dataDir], { env: { RESTIC_PASSWORD: '' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no local snapshot nonsense/);
  }, 60_000);

  it('a restore from Settings → Backups applies now: the studio closes its database, restores, reopens, and keeps the current one aside', async () => {
    const { dataDir } = await studioWithSnapshot('church-restore-now-');
    const [snap] = listLocalSnapshots(dataDir);
    const studio = new RecoverableStudio({ dataDir, logError: () => undefined, startEngines: false });
    const steps: string[] = [];
    try {
      expect(studio.start()).toMatchObject({ state: 'ready' });
      studio.events.subscribe((name, payload) => {
        if (name === 'recovery.progress') steps.push((payload as { state: string }).state);
      });
      const before = studio.current()!;
      before.library.remove(before.library.search({ limit: 100 }).items.map((v) => v.id));
      const r = await studio.dispatch('backup.restore', { id: snap!.id }, { actor: 'ui' });
      expect(r).toMatchObject({ ok: true, value: { restoredId: snap!.id, pending: false, keptAside: expect.stringContaining('kept-aside') } });
      expect(steps).toEqual(['working', 'working', 'working', 'ready']);
      const after = studio.current()!;
      expect(after).not.toBe(before);
      expect(after.library.search({ limit: 100 }).items).toHaveLength(50);
      expect((await studio.dispatch('library.search', { limit: 1 }, { actor: 'ui' })).ok).toBe(true);
      expect(existsSync(join(dataDir, 'restore-pending.json'))).toBe(false);
      // The current database (the one with the items removed) is kept aside, and the restore is in the audit log.
      const keptAside = (r as { value: { keptAside: string } }).value.keptAside;
      const kept = new Database(join(keptAside, 'studio.sqlite'), { readonly: true });
      expect((kept.prepare('SELECT count(*) AS n FROM videos').get() as { n: number }).n).toBe(0);
      kept.close();
      expect(after.audit.recent(5).some((e) => e.action === 'backup.restore' && e.ok)).toBe(true);
      // A snapshot that does not exist changes nothing and the studio keeps running.
      const missing = await studio.dispatch('backup.restore', { id: '20200101-000000-000' }, { actor: 'ui' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(studio.current()).toBe(after);
      // The recovery screen's calls say there is nothing to recover.
      expect(await studio.dispatch('recovery.status', {}, { actor: 'ui' })).toMatchObject({ ok: true, value: { state: 'ready' } });
      expect(await studio.dispatch('recovery.choose', { choice: 'start-empty' }, { actor: 'ui' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    } finally {
      await studio.close();
    }
    expect(existsSync(join(dataDir, 'primary.lock'))).toBe(false);
  }, 90_000);

  it('before a choice, only the recovery calls are answered; a bad choice is a clear error', async () => {
    const dataDir = tempDir('church-recovery-calls-');
    writeFileSync(join(dataDir, 'studio.sqlite'), 'junk'.repeat(4096));
    const studio = new RecoverableStudio({ dataDir, logError: () => undefined, startEngines: false });
    try {
      expect(studio.start()).toMatchObject({ state: 'recovery', failure: { problem: 'corrupt', choices: ['start-empty', 'quit'] } });
      expect(await studio.dispatch('library.search', { limit: 1 }, { actor: 'web' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/recovery screen/) } });
      expect(await studio.dispatch('recovery.choose', { choice: 'restore-newest' }, { actor: 'web' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await studio.dispatch('recovery.choose', { choice: 'format-disk' }, { actor: 'web' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await studio.dispatch('recovery.choose', { choice: 'start-empty' }, { actor: 'web' })).toMatchObject({ ok: true, value: { state: 'ready' } });
      expect((await studio.dispatch('library.search', { limit: 1 }, { actor: 'web' })).ok).toBe(true);
      expect(studio.current()!.audit.recent(5).some((e) => e.action === 'recovery.choose' && e.actor === 'web')).toBe(true);
    } finally {
      await studio.close();
    }
  });

  it('a verified snapshot is taken before a migration changes an existing schema', async () => {
    const dataDir = tempDir('church-premigrate-');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    seedStudio(host, 10);
    await host.close();
    // As if this build were an update: the library's last migration has not run yet on this database.
    const db = new Database(join(dataDir, 'studio.sqlite'));
    db.prepare("UPDATE schema_version SET version = version - 1 WHERE domain = 'library'").run();
    db.close();
    mkdirSync(join(dataDir, 'backups'), { recursive: true });
    const again = createHost({ dataDir, logError: () => undefined, startEngines: false });
    await again.close();
    const snaps = listLocalSnapshots(dataDir);
    expect(snaps).toHaveLength(1);
    expect(snaps[0]).toMatchObject({ reason: 'pre-migration', verified: true });
    expect(snaps[0]!.tables.videos).toBe(10);
  });
});
