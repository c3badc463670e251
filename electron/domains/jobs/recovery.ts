import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX } from './planJob';

/** True when pid is alive and is an ffmpeg writing to tempPath (so a recycled pid is never killed). Linux only. */
export function isOurFfmpeg(pid: number, tempPath: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((a) => a.includes(tempPath));
  } catch {
    return false;
  }
}

/**
 * Removes a job's temp output (file or folder) and any other temp outputs of that job in the same folder.
 * Never throws: it runs in failure and recovery paths, where an outDir that became a file, vanished or cannot be
 * read must not stop the job from being marked (a throw there left jobs 'running' and broke every start).
 */
export function removeTempOutputs(outDir: string, jobId: number, tempPath: string | null): number {
  let removed = 0;
  const rm = (p: string) => {
    try {
      if (existsSync(p)) {
        rmSync(p, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // not ours to fix here: the caller reports the job's own error
    }
  };
  if (tempPath) rm(tempPath);
  let names: string[] = [];
  try {
    names = readdirSync(outDir);
  } catch {
    // missing, a file, or unreadable: nothing of ours can be inside
  }
  for (const name of names) if (name.startsWith(`${TEMP_PREFIX}${jobId}-`)) rm(join(outDir, name));
  return removed;
}
