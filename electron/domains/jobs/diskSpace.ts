import { existsSync, readFileSync, statfs } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fmtBytes, type DiskRoom } from './diskGuard';

/** Free bytes for an ordinary user on the disk holding `dir` (statfs bavail), or null when it cannot be read. */
export function freeBytes(dir: string, timeoutMs = 5000): Promise<number | null> {
  return new Promise((done) => {
    // A hung network mount must not hold a job's start forever.
    const timer = setTimeout(() => done(null), timeoutMs);
    statfs(dir, (err, s) => {
      clearTimeout(timer);
      done(err ? null : s.bavail * s.bsize);
    });
  });
}

/** Free and total bytes of the disk holding `dir` (statfs), or null when it cannot be read in time. */
export function diskRoom(dir: string, timeoutMs = 5000): Promise<DiskRoom | null> {
  return new Promise((done) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    statfs(dir, (err, s) => {
      clearTimeout(timer);
      done(err ? null : { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize });
    });
  });
}

/** The folder itself or, before it exists, its nearest existing parent: where its files will land. */
export function nearestExisting(dir: string): string {
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/** The mount point and device holding `path` (longest /proc/mounts prefix), or null off Linux. */
export function diskOf(path: string, mountsFile = '/proc/mounts'): { mount: string; device: string } | null {
  let text: string;
  try {
    text = readFileSync(mountsFile, 'utf8');
  } catch {
    return null;
  }
  const abs = resolve(path);
  let best: { mount: string; device: string } | null = null;
  for (const line of text.split('\n')) {
    const [device, rawMount] = line.split(' ');
    if (!device || !rawMount) continue;
    const mount = rawMount.replace(/\\040/g, ' ');
    const inside = mount === '/' || abs === mount || abs.startsWith(mount.endsWith(sep) ? mount : mount + sep);
    if (inside && (!best || mount.length >= best.mount.length)) best = { mount, device };
  }
  return best;
}

const ENOSPC = /No space left on device|ENOSPC|Disk quota exceeded|EDQUOT/i;

export function isDiskFull(logOrMessage: string): boolean {
  return ENOSPC.test(logOrMessage);
}

/** What the owner reads when a disk filled up mid-job: which disk, how much is free now, what to do. */
export async function diskFullMessage(outDir: string): Promise<string> {
  const disk = diskOf(outDir);
  const free = await freeBytes(outDir).catch(() => null);
  const where = disk ? `the disk holding ${outDir} (${disk.device} mounted at ${disk.mount})` : `the disk holding ${outDir}`;
  const left = free === null ? '' : `; ${fmtBytes(free)} is free now`;
  return `${where} is full: ffmpeg could not write the output${left}. Free some space there or choose another output folder, then retry`;
}

