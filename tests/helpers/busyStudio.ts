import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHost, type Host } from '../../electron/host/createHost';
import type { Job } from '../../shared/dto/jobs';
import { makeClip } from './media';
import { tempDir } from './tempDir';
import { waitFor } from './waitFor';

/** Pids of this process's ffmpeg children, read from /proc (Linux). */
export function ffmpegChildren(parent = process.pid): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(join('/proc', name, 'stat'), 'utf8');
      // comm may hold spaces or parentheses: the fields after the last ')' are fixed.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'ffmpeg' && ppid === parent) pids.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** A real studio (SQLite, job engine) with one imported clip, to load with slow transcodes. */
export async function busyStudio(opts: { seconds?: number; makeDir?: (prefix: string) => string } = {}): Promise<{ host: Host; videoId: number }> {
  // Outside vitest (the bench) tempDir's cleanup hook is unavailable: the caller passes its own.
  const makeDir = opts.makeDir ?? tempDir;
  const dataDir = makeDir('church-kill-jobs-');
  const media = makeDir('church-kill-media-');
  // Long enough that a slow x264 preset is still busy when the kill switch fires.
  await makeClip(join(media, 'long.mp4'), { seconds: opts.seconds ?? 20, width: 640, height: 360 });
  const host = createHost({ dataDir, logError: () => undefined });
  const imported = await host.dispatch('library.import', { paths: [media], assets: false }, { actor: 'cli' });
  if (!imported.ok) throw new Error(imported.error.message);
  const page = await host.dispatch('library.search', {}, { actor: 'cli' });
  if (!page.ok) throw new Error(page.error.message);
  const settings = await host.dispatch('jobs.setSettings', { concurrency: 4 }, { actor: 'cli' });
  if (!settings.ok) throw new Error(settings.error.message);
  return { host, videoId: (page.value as { items: { id: number }[] }).items[0]!.id };
}

/** Queues n transcodes that take many seconds each, and waits until all n ffmpeg processes run. */
export async function startSlowJobs(host: Host, videoId: number, n: number): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let i = 0; i < n; i++) {
    const r = await host.dispatch('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'veryslow', crf: 10 } }, { actor: 'cli' });
    if (!r.ok) throw new Error(r.error.message);
    jobs.push(r.value as Job);
  }
  await waitFor(`${n} ffmpeg processes to start`, () => ffmpegChildren().length >= n, 30_000, 20).catch(() => {
    throw new Error(`only ${ffmpegChildren().length} of ${n} ffmpeg processes started`);
  });
  return jobs;
}
