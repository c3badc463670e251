import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { openDatabase } from '../../electron/platform/db';
import { tempDir } from '../helpers/tempDir';

const mode = (p: string) => statSync(p).mode & 0o777;

// POSIX permissions: on Windows the files inherit the user profile's ACL, which is already private.
describe.skipIf(process.platform === 'win32')('files other users cannot read (item 7)', () => {
  it('creates the data dir 0700 and the database with its -wal and -shm 0600', async () => {
    const dataDir = join(tempDir('church-perm-'), 'studio-data');
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      // A write, so SQLite has made its -wal and -shm.
      await host.dispatch('preferences.set', { theme: 'dark' }, { actor: 'cli' });
      expect(mode(dataDir)).toBe(0o700);
      for (const f of ['studio.sqlite', 'studio.sqlite-wal', 'studio.sqlite-shm']) expect(mode(join(dataDir, f)), f).toBe(0o600);
    } finally {
      await host.close();
    }
  });

  it('tightens a data dir and database left readable by an older version', async () => {
    const dataDir = tempDir('church-perm-old-');
    chmodSync(dataDir, 0o755);
    const old = openDatabase(join(dataDir, 'studio.sqlite'));
    old.exec('CREATE TABLE t (x)');
    old.close();
    chmodSync(join(dataDir, 'studio.sqlite'), 0o644);
    const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'studio.sqlite'))).toBe(0o600);
    } finally {
      await host.close();
    }
  });

  it('creates a missing database folder 0700 but leaves a shared existing folder alone', () => {
    const shared = tempDir('church-perm-shared-');
    chmodSync(shared, 0o755);
    mkdirSync(join(shared, 'x'));
    writeFileSync(join(shared, 'x', 'keep'), '');
    const db = openDatabase(join(shared, 'nested', 'a.sqlite'));
    db.close();
    expect(mode(join(shared, 'nested'))).toBe(0o700);
    expect(mode(shared)).toBe(0o755);
    expect(mode(join(shared, 'nested', 'a.sqlite'))).toBe(0o600);
  });
});
