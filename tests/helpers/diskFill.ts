import { closeSync, openSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Fills the filesystem holding `dir` until at most `leaveBytes` are free (0: until ENOSPC); returns the filler's path. */
export function fillDisk(dir: string, leaveBytes: number): string {
  const file = join(dir, `filler-${process.pid}-${Date.now()}`);
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) {
      const s = statfsSync(dir);
      const free = s.bavail * s.bsize;
      if (free <= leaveBytes) break;
      writeSync(fd, chunk, 0, Math.min(chunk.length, Math.max(free - leaveBytes, 1)));
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return file;
}
