import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive } from '../platform/process/pidAlive';

/**
 * One process per data dir is the primary: it alone runs crash recovery and the engines (job scheduler, monitor
 * sampler). Others — a `church doctor` while the app is open — only read and write rows. Without this, a second
 * process starting up would "recover" jobs and kill-switch runs that the first is still running.
 */
export interface PrimaryLock {
  readonly isPrimary: boolean;
  release(): void;
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Lock files this process holds: a second host on the same data dir in one process (tests, tools) is secondary. */
const heldHere = new Set<string>();

export function acquirePrimary(dataDir: string): PrimaryLock {
  const file = join(dataDir, 'primary.lock');
  let mine = !heldHere.has(file) && tryCreate(file);
  if (!mine) {
    let holder = NaN;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch {
      // unreadable: treat as stale
    }
    if (!Number.isInteger(holder) || holder <= 0 || (holder !== process.pid && !pidAlive(holder))) {
      // Left by a crash. Two processes may both see it stale; O_EXCL lets only one of them win.
      rmSync(file, { force: true });
      mine = tryCreate(file);
    } else if (holder === process.pid && !heldHere.has(file)) {
      mine = true; // our own file from an earlier, released run of this process
    }
  }
  if (mine) heldHere.add(file);
  return {
    isPrimary: mine,
    release() {
      if (!mine) return;
      try {
        if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, { force: true });
      } catch {
        // already gone
      }
      heldHere.delete(file);
      mine = false;
    },
  };
}
