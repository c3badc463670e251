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

/** Removes a job's temp output (file or folder) and any other temp outputs of that job in the same folder. */
export function removeTempOutputs(outDir: string, jobId: number, tempPath: string | null): number {
  let removed = 0;
  const rm = (p: string) => {
    if (existsSync(p)) {
      rmSync(p, { recursive: true, force: true });
      removed++;
    }
  };
  if (tempPath) rm(tempPath);
  if (existsSync(outDir)) {
    for (const name of readdirSync(outDir)) if (name.startsWith(`${TEMP_PREFIX}${jobId}-`)) rm(join(outDir, name));
  }
  return removed;
}
