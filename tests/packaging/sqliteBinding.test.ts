import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../electron/main/shell/sqliteBinding';
import { tempDir } from '../helpers/tempDir';

const root = join(import.meta.dirname, '..', '..');
const sqliteVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;

describe("the window's better-sqlite3 build", () => {
  it('a packaged app never takes a binding from the environment', () => {
    expect(electronSqliteBinding(true, root, { CHURCH_SQLITE_BINDING: '/tmp/evil.node' }, '45.4.1')).toBeUndefined();
  });

  it('from a checkout: the start script’s binding, else the cached Electron build for this version, else none', () => {
    expect(electronSqliteBinding(false, root, { CHURCH_SQLITE_BINDING: '/x/better_sqlite3.node' }, '45.4.1')).toBe('/x/better_sqlite3.node');
    const cache = tempDir();
    expect(electronSqliteBinding(false, root, { CHURCH_ELECTRON_NATIVE_DIR: cache }, '45.4.1')).toBeUndefined();
    const dir = join(cache, `better-sqlite3-${sqliteVersion}-electron-45.4.1-${process.platform}-${process.arch}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'better_sqlite3.node'), 'x');
    expect(electronSqliteBinding(false, root, { CHURCH_ELECTRON_NATIVE_DIR: cache }, '45.4.1')).toBe(join(dir, 'better_sqlite3.node'));
    expect(electronSqliteBinding(false, root, { CHURCH_ELECTRON_NATIVE_DIR: cache }, '46.0.0')).toBeUndefined();
    // Without the override: the cache beside the node_modules that holds better-sqlite3, whatever the app path.
    expect(electronSqliteBinding(false, join(root, 'out', 'main'), {}, '0.0.0-none')).toBeUndefined();
  });
});
