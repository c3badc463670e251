import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { acquirePrimary } from '../../electron/host/primaryLock';
import { runProcess } from '../../electron/platform/process';
import { tempDir } from '../helpers/tempDir';

describe('primary lock', () => {
  it('gives the lock to one process and takes over a stale one', async () => {
    const dir = tempDir();
    const first = acquirePrimary(dir);
    expect(first.isPrimary).toBe(true);
    // Another process on the same data dir is secondary while we hold it.
    const script = `import('${join(import.meta.dirname, '../../electron/host/primaryLock.ts').replace(/\\/g, '/')}').then(m => console.log(m.acquirePrimary(process.argv[1]).isPrimary))`;
    const tsx = join(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');
    const other = await runProcess(process.execPath, [tsx, '-e', script, dir], { timeoutMs: 30_000 });
    expect(other.stdout.trim()).toBe('false');
    first.release();
    // A lock file left by a crashed process (pid that cannot exist) is taken over.
    writeFileSync(join(dir, 'primary.lock'), String(2 ** 22 + 999));
    const next = acquirePrimary(dir);
    expect(next.isPrimary).toBe(true);
    next.release();
  });

  it('a secondary host does not "recover" the primary\'s running kill-switch run', async () => {
    const dataDir = tempDir();
    const primary = createHost({ dataDir, logError: () => undefined });
    expect(primary.isPrimary).toBe(true);
    primary.db.prepare("INSERT INTO kill_runs (trigger, dry_run, platform, started_at, status, steps) VALUES ('ui', 0, 'linux', 'x', 'running', '[]')").run();
    const second = createHost({ dataDir, logError: () => undefined });
    expect(second.isPrimary).toBe(false);
    expect(second.killSwitch.lastRun()!.status).toBe('running');
    await second.close();
    await primary.close();
  });

  it('a start that fails half-way (data from a newer studio) says why and leaves the lock and services released', async () => {
    const dataDir = tempDir();
    const first = createHost({ dataDir, logError: () => undefined, startEngines: false });
    // The last domain to be composed finds a schema it does not know: everything before it must be undone.
    first.db.prepare("UPDATE schema_version SET version = 99 WHERE domain = 'stripe'").run();
    await first.close();
    expect(() => createHost({ dataDir, logError: () => undefined })).toThrow(/the stripe data was written by a newer version of the studio/);
    const lock = acquirePrimary(dataDir);
    expect(lock.isPrimary).toBe(true);
    lock.release();
  });
});
