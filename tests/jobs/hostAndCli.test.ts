import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobList } from '../../shared/dto/jobs';
import { createHost } from '../../electron/host/createHost';
import { resolveBinary } from '../../electron/platform/media';
import { TEMP_PREFIX } from '../../electron/domains/jobs';
import { CHURCH_BIN, church } from '../helpers/cli';
import { testHost } from '../helpers/host';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

// The engine as the studio runs it: composed in the host with the real library, reached through the contract,
// and through the `church` CLI as a child process (including one killed in the middle of a job).
const media = tempDir('church-jobs-host-media-');
let clip = '';
let longClip = '';
beforeAll(async () => {
  clip = await makeClip(join(media, 'clip.mp4'), { seconds: 1 });
  longClip = await makeClip(join(media, 'long.mp4'), { seconds: 6 });
}, 30_000);

/** Gone, or a zombie waiting for a reaper (the killed CLI was its parent; in a container PID 1 may never reap). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

function pacedEnv(): NodeJS.ProcessEnv {
  const dir = tempDir('church-jobs-paced-');
  writeFileSync(join(dir, 'ffmpeg'), `#!/bin/sh\nexec "${resolveBinary('ffmpeg').path}" -re "$@"\n`);
  chmodSync(join(dir, 'ffmpeg'), 0o755);
  return { FFMPEG_PATH: join(dir, 'ffmpeg') };
}

describe('jobs through the host and the contract', () => {
  it('imports a clip, queues a web job by contract, sees progress events, and the output is registered in the library', async () => {
    const host = testHost();
    const imported = await host.dispatch('library.import', { paths: [clip], assets: false }, { actor: 'ui' });
    expect(imported.ok).toBe(true);
    const page = await host.dispatch('library.search', {}, { actor: 'ui' });
    if (!page.ok) throw new Error(page.error.message);
    const videoId = (page.value as { items: { id: number }[] }).items[0]!.id;
    const seen: string[] = [];
    const off = host.events.subscribe((name, payload) => {
      if (name === 'jobs.changed') seen.push((payload as Job).status);
    });
    const r = await host.dispatch('jobs.enqueue', { videoId, preset: 'web', params: { x264Preset: 'ultrafast', remuxWhenCompliant: false } }, { actor: 'ui' });
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.value as Job).id;
    await expect.poll(() => seen.at(-1), { timeout: 20_000 }).toBe('done');
    off();
    const outputs = host.library.listOutputs(videoId);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ jobId: id, preset: 'web', kind: 'video', exists: true });
    expect(host.library.getVideo(videoId)!.outputs.map((o) => o.id)).toEqual([outputs[0]!.id]);
    const list = await host.dispatch('jobs.list', {}, { actor: 'ui' });
    expect(list.ok && (list.value as JobList).jobs[0]).toMatchObject({ id, status: 'done', outputIds: [outputs[0]!.id] });
    const bad = await host.dispatch('jobs.enqueue', { videoId, preset: 'web', params: { crf: 'best' } }, { actor: 'ui' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const missing = await host.dispatch('jobs.get', { id: 4242 }, { actor: 'ui' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the kill switch stops jobs', () => {
  it('a plan with only the stop-jobs step cancels the running job and kills its ffmpeg', async () => {
    const host = testHost({ env: { ...process.env, ...pacedEnv() } });
    expect((await host.dispatch('library.import', { paths: [longClip], assets: false }, { actor: 'ui' })).ok).toBe(true);
    const r = await host.dispatch('jobs.enqueue', { videoId: 1, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } }, { actor: 'ui' });
    if (!r.ok) throw new Error(r.error.message);
    await expect.poll(() => host.jobs.store.get(1)?.pid ?? null, { timeout: 15_000 }).not.toBeNull();
    const pid = host.jobs.store.get(1)!.pid!;
    const run = await host.dispatch('killswitch.trigger', { dryRun: false, plan: { version: 1, steps: [{ kind: 'stop-jobs' }] } }, { actor: 'ui' });
    expect(run).toMatchObject({ ok: true, value: { status: 'completed' } });
    expect(host.jobs.get(1)).toMatchObject({ status: 'cancelled', error: 'stopped by the emergency kill switch' });
    expect(gone(pid)).toBe(true);
    expect(readdirSync(join(host.dataDir, 'outputs', '1'))).toEqual([]);
  });
});

describe('crash of the process running the engine', () => {
  const env = { CHURCH_NO_ATTACH: '1' };

  it('a studio process killed in the middle of a job: the next start cleans up, re-queues, and registers the output once', async () => {
    const dir = tempDir('church-jobs-crash-cli-');
    expect((await church(['import', longClip, '--no-assets', '--data-dir', dir], { env })).code).toBe(0);
    const child = spawn(process.execPath, [CHURCH_BIN, 'transcode', '1', '--preset', 'web', '--param', 'remuxWhenCompliant=false', '--param', 'x264Preset=ultrafast', '--data-dir', dir], {
      env: { ...process.env, ...env, ...pacedEnv() },
      stdio: 'ignore',
    });
    const db = new Database(join(dir, 'studio.sqlite'), { readonly: true });
    const row = () => db.prepare('SELECT status, pid, temp_path FROM jobs WHERE id = 1').get() as { status: string; pid: number | null; temp_path: string | null } | undefined;
    await expect.poll(() => row()?.pid ?? null, { timeout: 90_000 }).not.toBeNull(); // the CLI's cold start is slow on a loaded machine
    const outDir = join(dir, 'outputs', '1');
    await expect.poll(() => (existsSync(outDir) ? readdirSync(outDir) : []).some((f) => f.startsWith(TEMP_PREFIX)), { timeout: 10_000 }).toBe(true);
    const ffmpegPid = row()!.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(row()!.status).toBe('running'); // what a crash leaves behind
    db.close();

    const host = createHost({ dataDir: dir, logError: () => undefined, env: { ...process.env } });
    try {
      expect(host.isPrimary).toBe(true);
      // Recovery ran in start(): the orphaned ffmpeg is gone and its temp output removed before anything else.
      await expect.poll(() => gone(ffmpegPid), { timeout: 20_000 }).toBe(true); // SIGKILL lands asynchronously
      const after = host.jobs.get(1);
      expect(['queued', 'running']).toContain(after.status);
      await expect.poll(() => host.jobs.get(1).status, { timeout: 30_000 }).toBe('done');
      expect(host.jobs.get(1).attempts).toBe(2);
      expect(host.library.listOutputs(1)).toHaveLength(1);
      expect(readdirSync(outDir).filter((f) => f.startsWith(TEMP_PREFIX))).toEqual([]);
    } finally {
      await host.close();
    }
  }, 240_000);
});
