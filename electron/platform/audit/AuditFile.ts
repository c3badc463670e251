import { chmodSync, closeSync, constants, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { AuditEntry } from '../../../shared/dto/system';

export interface AuditFileSettings {
  /** Absolute path of the JSON-lines file, ending in `.jsonl`; null: no file. */
  path: string | null;
  /** Past this size the file is rotated (path → path.1 → path.2 …) before the next line. */
  maxBytes: number;
  /** How many rotated files are kept besides the live one. */
  keep: number;
}

export const DEFAULT_AUDIT_FILE: AuditFileSettings = { path: null, maxBytes: 10 * 1024 * 1024, keep: 5 };

/**
 * Why `path` cannot be the audit file, or null. It must be absolute and end in `.jsonl`: the studio appends lines
 * whose text callers partly choose, so it must never be pointed at a shell profile, `authorized_keys` or a config.
 */
export function auditFileProblem(path: string): string | null {
  if (!isAbsolute(path)) return `the audit file must be an absolute path (got ${path})`;
  if (!path.endsWith('.jsonl')) return `the audit file's name must end in .jsonl (got ${path}), so it can never be a file something else reads as commands`;
  return null;
}

/**
 * The audit log as an append-only JSON-lines file for a log shipper (Filebeat, Vector, Promtail): one entry a
 * line, written whole with one `write` on an O_APPEND descriptor, owner-only (0600), never through a symlink.
 * Rotation is by size, logrotate's way (rename, then a new file), which those shippers follow by inode.
 */
export class AuditFile {
  constructor(private readonly settings: AuditFileSettings & { path: string }) {}

  append(entry: AuditEntry): void {
    const line = Buffer.from(JSON.stringify(entry) + '\n');
    const { path, maxBytes } = this.settings;
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // no file yet
    }
    if (size > 0 && size + line.length > maxBytes) this.rotate();
    else if (size === 0) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      // A file made by hand (or by an older umask) is tightened to the owner alone.
      if ((fstatSync(fd).mode & 0o077) !== 0) chmodSync(path, 0o600);
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
  }

  /** path.(keep) goes, path.(n) becomes path.(n+1), path becomes path.1. */
  private rotate(): void {
    const { path, keep } = this.settings;
    rmSync(`${path}.${keep}`, { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      try {
        renameSync(`${path}.${n}`, `${path}.${n + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(path, `${path}.1`);
  }
}
