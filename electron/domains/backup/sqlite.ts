import Database from 'better-sqlite3';

let nativeBinding: string | undefined;

/**
 * The desktop app run from a checkout loads Electron's build of better-sqlite3 (host option `sqliteBinding`);
 * every connection the backup service opens (snapshot reads, checks, restores) must load the same build.
 */
export function useSqliteBinding(path: string | undefined): void {
  nativeBinding = path;
}

export function sqliteBinding(): string | undefined {
  return nativeBinding;
}

export function openSqlite(file: string, opts: Database.Options = {}): Database.Database {
  return new Database(file, nativeBinding ? { ...opts, nativeBinding } : opts);
}
