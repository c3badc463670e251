import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBinary } from '../../electron/platform/media';
import { CLOSED_REASON, TEMP_PREFIX } from '../../electron/domains/jobs';
import { removeTempOutputs } from '../../electron/domains/jobs/recovery';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useJobEngine, MemoryLibrary, waitForJob } from '../helpers/jobEngine';
import { nextTurns, quietPeriod } from '../helpers/waitFor';

// The queue with real ffmpeg. To have jobs that stay running long enough to cancel, pause or kill, ffmpeg is
// started through a wrapper that adds -re (read the input at its native rate): still the real ffmpeg, paced.
const fast = { x264Preset: 'ultrafast', remuxWhenCompliant: false };
const bin = tempDir('church-jobs-bin-');
const realFfmpeg = resolveBinary('ffmpeg').path!;

function wrapper(name: string, body: string): NodeJS.ProcessEnv {
  const dir = join(bin, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ffmpeg'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, 'ffmpeg'), 0o755);
  return { ...process.env, FFMPEG_PATH: join(dir, 'ffmpeg') };
}
const paced = wrapper('paced', `exec "${realFfmpeg}" -re "$@"`);
const hung = wrapper('hung', 'exec sleep 30');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processState(pid: number): string {
  // /proc/<pid>/stat: "pid (comm) S ..." — the state letter follows the command name.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** Files a job left in its output folder (temp names included). */
function leftovers(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

const library = new MemoryLibrary();
let clip = 0;
let longClip = 0;
const media = tempDir('church-queue-media-');
beforeAll(async () => {
  clip = await library.add(await makeClip(join(media, 'one.mp4'), { seconds: 1 }));
  longClip = await library.add(await makeClip(join(media, 'four.mp4'), { seconds: 4 }));
}, 30_000);

describe('job queue', () => {
  it('reports live progress (percent rising to 100, fps, speed, ETA), throttled per job', async () => {
    const fx = useJobEngine({ library, env: paced, progressIntervalMs: 200 });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    const done = await waitForJob(fx.engine, job.id, ['done', 'failed']);
    expect(done.error).toBeNull();
    const ev = fx.events.of('jobs.progress').filter((p) => p.jobId === job.id);
    expect(ev.length).toBeGreaterThanOrEqual(5);
    expect(ev.length).toBeLessThan(40); // 4 s at most one per 200 ms, plus the last
    const percents = ev.map((p) => p.percent ?? 0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(ev.at(-1)).toMatchObject({ percent: 100, etaSec: 0 });
    const mid = ev.find((p) => (p.percent ?? 0) > 20 && (p.percent ?? 0) < 90)!;
    expect(mid.speed).toBeGreaterThan(0.5);
    expect(mid.speed).toBeLessThan(2); // paced at real time
    expect(mid.etaSec).toBeGreaterThan(0);
    expect(mid.fps).toBeGreaterThan(0);
    const statuses = fx.events.of('jobs.changed').filter((j) => j.id === job.id).map((j) => j.status);
    expect(statuses).toEqual(['queued', 'running', 'done']);
    expect(done.startedAt && done.finishedAt).toBeTruthy();
    expect(done.exitCode).toBe(0);
  });

  it('cancel of a running job: SIGTERM stops ffmpeg, the job is cancelled and nothing half-written stays', async () => {
    const fx = useJobEngine({ library, env: paced });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    await waitForJob(fx.engine, job.id, ['running']);
    await expect.poll(() => fx.engine.get(job.id).progress?.percent ?? 0, { timeout: 20_000 }).toBeGreaterThan(5);
    const pid = fx.engine.store.get(job.id)!.pid!;
    expect(leftovers(join(fx.dataDir, 'outputs', String(longClip))).some((f) => f.startsWith(TEMP_PREFIX))).toBe(true);
    const cancelled = await fx.engine.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toBe('cancelled by the owner');
    expect(alive(pid)).toBe(false);
    expect(leftovers(join(fx.dataDir, 'outputs', String(longClip)))).toEqual([]);
    expect(library.outputs.some((o) => o.jobId === job.id && o.path.startsWith(fx.dataDir))).toBe(false);
  });

  it('cancel of a queued job never starts it; cancelling a finished job is a conflict', async () => {
    const fx = useJobEngine({ library, start: false });
    const job = await fx.engine.enqueue({ videoId: clip, preset: 'web' });
    expect((await fx.engine.cancel(job.id)).status).toBe('cancelled');
    await expect(fx.engine.cancel(job.id)).rejects.toThrow(/job \d+ is cancelled; only queued, running, paused or interrupted/);
  });

  it('an ffmpeg killed from outside fails the job with a clear reason and leaves no file; retry then succeeds', async () => {
    const fx = useJobEngine({ library, env: paced });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    await waitForJob(fx.engine, job.id, ['running']);
    await expect.poll(() => fx.engine.store.get(job.id)!.pid, { timeout: 20_000 }).toBeTruthy();
    process.kill(fx.engine.store.get(job.id)!.pid!, 'SIGKILL');
    const failed = await waitForJob(fx.engine, job.id, ['failed']);
    expect(failed.error).toMatch(/ffmpeg was killed \(SIGKILL\) by something outside the studio; retry/);
    expect(leftovers(join(fx.dataDir, 'outputs', String(longClip)))).toEqual([]);
    expect(fx.engine.retry(job.id).status).toMatch(/queued|running/);
    const done = await waitForJob(fx.engine, job.id, ['done', 'failed']);
    expect(done.status).toBe('done');
    expect(done.attempts).toBe(2);
    expect(() => fx.engine.retry(job.id)).toThrow(/is done; only failed, cancelled or interrupted/);
  });

  it('a hung ffmpeg (no progress at all) is stopped by the watchdog', async () => {
    const fx = useJobEngine({ library, env: hung, stallTimeoutMs: 400 });
    const job = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const failed = await waitForJob(fx.engine, job.id, ['failed'], 10_000);
    expect(failed.error).toMatch(/made no progress for 0 s|made no progress/);
    expect(leftovers(join(fx.dataDir, 'outputs', String(clip)))).toEqual([]);
  });

  it('runs at most `concurrency` jobs at once, highest priority first', async () => {
    const fx = useJobEngine({ library, env: paced, start: false });
    fx.engine.setSettings({ concurrency: 2 });
    const low = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const mid = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast, priority: 1 });
    const high = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast, priority: 9 });
    const low2 = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    fx.engine.start();
    for (const j of [low, mid, high, low2]) await waitForJob(fx.engine, j.id, ['done']);
    // The engine's own change events, in the order it emitted them: exact, where polling could merge two starts.
    const running = new Set<number>();
    const starts: number[] = [];
    let peak = 0;
    for (const j of fx.events.of('jobs.changed')) {
      if (j.status === 'running' && !running.has(j.id)) {
        running.add(j.id);
        if (!starts.includes(j.id)) starts.push(j.id);
      } else if (j.status !== 'running') running.delete(j.id);
      peak = Math.max(peak, running.size);
    }
    expect(peak).toBe(2);
    expect(starts.slice(0, 2).sort()).toEqual([high.id, mid.id].sort());
    expect(starts.slice(2)).toEqual([low.id, low2.id]);
    // Outputs with the same name never overwrite each other.
    expect(new Set([low, mid, high, low2].map((j) => fx.engine.get(j.id).outputPath)).size).toBe(4);
  });

  it('pause suspends running encodes (SIGSTOP) and holds the queue; resume continues them', async () => {
    const fx = useJobEngine({ library, env: paced });
    fx.engine.setSettings({ concurrency: 1 });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    const next = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    await waitForJob(fx.engine, job.id, ['running']);
    await expect.poll(() => fx.engine.get(job.id).progress?.percent ?? 0, { timeout: 20_000 }).toBeGreaterThan(5);
    const pid = fx.engine.store.get(job.id)!.pid!;
    expect(fx.engine.pause()).toMatchObject({ paused: true, running: 1, queued: 1 });
    expect(fx.engine.get(job.id).status).toBe('paused');
    await expect.poll(() => processState(pid), { timeout: 20_000 }).toBe('T'); // SIGSTOP is delivered asynchronously
    await nextTurns(); // progress ffmpeg wrote before it stopped is already in the pipe: let it be read
    const at = fx.engine.get(job.id).progress?.percent;
    await quietPeriod(600);
    expect(fx.engine.get(job.id).progress?.percent).toBe(at);
    expect(fx.engine.get(next.id).status).toBe('queued');
    expect(fx.engine.resume().paused).toBe(false);
    expect(fx.engine.get(job.id).status).toBe('running');
    expect((await waitForJob(fx.engine, job.id, ['done', 'failed'])).status).toBe('done');
    expect((await waitForJob(fx.engine, next.id, ['done', 'failed'])).status).toBe('done');
    expect(fx.events.of('jobs.queue').some((q) => q.paused)).toBe(true);
  });

  it('stopAll (the kill switch): 4 running ffmpeg processes gone fast, jobs cancelled, queued ones too', async () => {
    const fx = useJobEngine({ library, env: paced });
    fx.engine.setSettings({ concurrency: 4 });
    const jobs = [];
    for (let i = 0; i < 5; i++) jobs.push(await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast }));
    for (const j of jobs.slice(0, 4)) await expect.poll(() => fx.engine.store.get(j.id)!.pid, { timeout: 10_000 }).toBeTruthy();
    const pids = jobs.slice(0, 4).map((j) => fx.engine.store.get(j.id)!.pid!);
    const t0 = performance.now();
    const r = await fx.engine.stopAll();
    const ms = performance.now() - t0;
    expect(r.stopped).toBe(4);
    expect(ms).toBeLessThan(3000); // the ≤ 250 ms median target is measured in bench/jobs.bench.ts
    for (const pid of pids) expect(alive(pid)).toBe(false);
    for (const j of jobs) expect(fx.engine.get(j.id)).toMatchObject({ status: 'cancelled', error: 'stopped by the emergency kill switch' });
    expect(leftovers(join(fx.dataDir, 'outputs', String(longClip)))).toEqual([]);
  });

  it('refuses unknown presets and impossible parameters before queueing anything', async () => {
    const fx = useJobEngine({ library, start: false });
    await expect(fx.engine.enqueue({ videoId: clip, preset: 'nope' })).rejects.toThrow(/there is no preset "nope"; known: .*web/);
    await expect(fx.engine.enqueue({ videoId: clip, preset: 'web', params: { crf: 99 } })).rejects.toThrow(/crf: Too big/);
    await expect(fx.engine.enqueue({ videoId: clip, preset: 'web', params: { bogus: 1 } })).rejects.toThrow(/Unrecognized key/);
    await expect(fx.engine.enqueue({ videoId: 999, preset: 'web' })).rejects.toThrow(/no video 999/);
    await expect(fx.engine.enqueue({ videoId: clip, preset: 'web', outDir: 'relative/dir' })).rejects.toThrow(/absolute/);
    expect(fx.engine.list().jobs).toEqual([]);
  });

  it('user presets: a copy with new values is used; a broken file is reported without hiding the others', async () => {
    const fx = useJobEngine({ library, start: false });
    mkdirSync(fx.engine.userPresetDir, { recursive: true });
    writeFileSync(join(fx.engine.userPresetDir, 'tiny.json'), JSON.stringify({ name: 'tiny', kind: 'web', params: { maxHeight: 120, remuxWhenCompliant: false } }));
    writeFileSync(join(fx.engine.userPresetDir, 'broken.json'), '{ "name": "broken", ');
    writeFileSync(join(fx.engine.userPresetDir, 'wrong.json'), JSON.stringify({ name: 'wrong', kind: 'web', params: { crf: 'high' } }));
    const list = fx.engine.presets();
    expect(list.presets.find((p) => p.name === 'tiny')).toMatchObject({ source: 'user', kind: 'web' });
    expect(list.presets.find((p) => p.name === 'web')).toMatchObject({ source: 'built-in' });
    expect(list.problems.map((p) => p.message).join('\n')).toMatch(/broken.json ignored: not valid JSON[\s\S]*wrong.json ignored: .*crf/);
    await expect(fx.engine.enqueue({ videoId: clip, preset: 'broken' })).rejects.toThrow(/broken.json ignored/);
    const job = await fx.engine.enqueue({ videoId: clip, preset: 'tiny', params: { x264Preset: 'ultrafast' } });
    expect(job.plan).toMatch(/encode to H\.264 160x120/);
  });

  it('crash recovery: a running row and its temp file from a dead process are cleaned and re-queued, and finish once', async () => {
    const dataDir = tempDir('church-jobs-crash-');
    // First life: queue a job, then fake the crash state by hand (a row 'running', a temp file, a dead pid).
    const first = useJobEngine({ library, dataDir, start: false });
    const job = await first.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const outDir = join(dataDir, 'outputs', String(clip));
    mkdirSync(outDir, { recursive: true });
    const temp = join(outDir, `${TEMP_PREFIX}${job.id}-1-one.web.mp4`);
    writeFileSync(temp, 'half an mp4');
    first.engine.store.transition(job.id, 'running', { startedAt: new Date().toISOString(), attempts: 1, tempPath: temp, pid: 2 ** 22 - 1 });
    await first.close();
    const registeredBefore = library.outputs.length;
    // Second life: a new engine on the same database.
    const second = useJobEngine({ library, dataDir });
    expect(existsSync(temp)).toBe(false);
    const changes = second.events.of('jobs.changed').filter((j) => j.id === job.id);
    expect(changes[0]).toMatchObject({ status: 'queued' });
    const done = await waitForJob(second.engine, job.id, ['done', 'failed']);
    expect(done.status).toBe('done');
    expect(done.attempts).toBe(2);
    expect(library.outputs.length - registeredBefore).toBe(1);
    expect(leftovers(outDir).filter((f) => f.startsWith(TEMP_PREFIX))).toEqual([]);
  });

  it('crash recovery in "leave" mode marks the job interrupted for the owner to decide', async () => {
    const dataDir = tempDir('church-jobs-crash2-');
    const first = useJobEngine({ library, dataDir, start: false });
    first.engine.setSettings({ recovery: 'leave' });
    const job = await first.engine.enqueue({ videoId: clip, preset: 'web' });
    first.engine.store.transition(job.id, 'running', { startedAt: new Date().toISOString(), attempts: 1 });
    await first.close();
    const second = useJobEngine({ library, dataDir });
    const j = second.engine.get(job.id);
    expect(j.status).toBe('interrupted');
    expect(j.error).toMatch(/the studio stopped while this job was running/);
    expect(second.engine.retry(job.id).status).toMatch(/queued|running/);
    expect((await waitForJob(second.engine, job.id, ['done', 'failed'])).status).toBe('done');
  });

  it('an output the library refuses to register is removed, and the job fails with the reason', async () => {
    class RefusingLibrary extends MemoryLibrary {
      override registerOutput(): never {
        throw new Error('no library item with id 1 to attach an output to');
      }
    }
    const refusing = new RefusingLibrary();
    const id = await refusing.add(library.getVideo(clip)!.path);
    const fx = useJobEngine({ library: refusing });
    const job = await fx.engine.enqueue({ videoId: id, preset: 'web' });
    const failed = await waitForJob(fx.engine, job.id, ['failed', 'done']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/no library item with id 1/);
    expect(leftovers(join(fx.dataDir, 'outputs', String(id)))).toEqual([]);
  });

  it('closing the engine stops running jobs and hands them back to the queue (never interrupted); the next start finishes them once', async () => {
    const fx = useJobEngine({ library, env: paced });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    await expect.poll(() => fx.engine.store.get(job.id)!.pid, { timeout: 20_000 }).toBeTruthy();
    await fx.close();
    expect(fx.events.of('jobs.changed').filter((j) => j.id === job.id).map((j) => j.status)).not.toContain('interrupted');
    const idle = useJobEngine({ library, dataDir: fx.dataDir, start: false });
    expect(idle.engine.get(job.id)).toMatchObject({ status: 'queued', error: null, progress: null, startedAt: null });
    expect(leftovers(join(fx.dataDir, 'outputs', String(longClip)))).toEqual([]);
    await idle.close();
    const registeredBefore = library.outputs.filter((o) => o.jobId === job.id && o.path.startsWith(fx.dataDir)).length;
    expect(registeredBefore).toBe(0);
    const again = useJobEngine({ library, dataDir: fx.dataDir });
    const done = await waitForJob(again.engine, job.id, ['done', 'failed']);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.attempts).toBe(2);
    expect(library.outputs.filter((o) => o.jobId === job.id && o.path.startsWith(fx.dataDir))).toHaveLength(1);
    // A further start finds nothing to recover: the done job is not run or registered again.
    await again.close();
    const third = useJobEngine({ library, dataDir: fx.dataDir });
    expect(third.engine.get(job.id).status).toBe('done');
    expect(third.engine.recover()).toEqual({ interrupted: 0, requeued: 0 });
    expect(library.outputs.filter((o) => o.jobId === job.id && o.path.startsWith(fx.dataDir))).toHaveLength(1);
  });

  it('in "leave" mode a job stopped by closing stays interrupted at the next start', async () => {
    const fx = useJobEngine({ library, env: paced });
    fx.engine.setSettings({ recovery: 'leave' });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    await expect.poll(() => fx.engine.store.get(job.id)!.pid, { timeout: 20_000 }).toBeTruthy();
    await fx.close();
    const again = useJobEngine({ library, dataDir: fx.dataDir, env: paced });
    await nextTurns(); // start() recovers and schedules at once; let any pass it deferred run too
    expect(again.engine.get(job.id)).toMatchObject({ status: 'interrupted', error: CLOSED_REASON });
  });

  it('an output folder that is a file: enqueue refuses it; a running row pointing at one does not stop the next start', async () => {
    const dataDir = tempDir('church-jobs-outfile-');
    const asFile = join(dataDir, 'not-a-folder');
    writeFileSync(asFile, 'I am a file');
    const first = useJobEngine({ library, dataDir, start: false });
    await expect(first.engine.enqueue({ videoId: clip, preset: 'web', outDir: asFile })).rejects.toThrow(`the output folder ${asFile} is a file; choose a folder`);
    // A row left 'running' by a run whose outDir is (now) a file, as a crash or the old failure path left it.
    const stuck = await first.engine.enqueue({ videoId: clip, preset: 'web', params: fast, outDir: join(dataDir, 'later-a-file') });
    first.db.prepare('UPDATE jobs SET out_dir = ? WHERE id = ?').run(asFile, stuck.id);
    first.engine.store.transition(stuck.id, 'running', { startedAt: new Date().toISOString(), attempts: 1, tempPath: join(asFile, `${TEMP_PREFIX}${stuck.id}-1-one.web.mp4`), pid: 2 ** 22 - 1 });
    // A queued job whose folder turns into a file before it runs: it must fail, not stay 'running'.
    const later = await first.engine.enqueue({ videoId: clip, preset: 'web', params: fast, outDir: join(dataDir, 'turns-into-a-file') });
    writeFileSync(join(dataDir, 'turns-into-a-file'), 'surprise');
    await first.close();
    const errors: string[] = [];
    const second = useJobEngine({ library, dataDir, logError: (m) => errors.push(m) });
    for (const id of [stuck.id, later.id]) {
      const j = await waitForJob(second.engine, id, ['failed', 'done', 'interrupted']);
      expect(j.status).toBe('failed');
      expect(j.error).toMatch(/the output folder .* is a file \(or lies under one\); choose a folder/);
    }
    expect(second.engine.list().jobs.filter((j) => j.status === 'running')).toEqual([]);
    expect(readFileSync(asFile, 'utf8')).toBe('I am a file');
  });

  it('recovery tolerates a folder it cannot read: the job is still marked, and the engine starts', async () => {
    const dataDir = tempDir('church-jobs-unreadable-');
    const first = useJobEngine({ library, dataDir, start: false });
    first.engine.setSettings({ recovery: 'leave' });
    const job = await first.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const asFile = join(dataDir, 'file-outdir');
    writeFileSync(asFile, 'x');
    first.db.prepare('UPDATE jobs SET out_dir = ?, work_dir = ? WHERE id = ?').run(asFile, join(asFile, 'work'), job.id);
    first.engine.store.transition(job.id, 'running', { startedAt: new Date().toISOString(), attempts: 1 });
    await first.close();
    const second = useJobEngine({ library, dataDir });
    expect(second.engine.get(job.id)).toMatchObject({ status: 'interrupted' });
    expect(removeTempOutputs(asFile, job.id, join(asFile, 'x.tmp'))).toBe(0);
    expect(removeTempOutputs(join(dataDir, 'missing'), job.id, null)).toBe(0);
  });

  it('cancel of a paused (SIGSTOPped) job ends its ffmpeg at once, not after the SIGKILL grace', async () => {
    const fx = useJobEngine({ library, env: paced, cancelGraceMs: 5000 });
    const job = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    await expect.poll(() => fx.engine.get(job.id).progress?.percent ?? 0, { timeout: 20_000 }).toBeGreaterThan(5);
    const pid = fx.engine.store.get(job.id)!.pid!;
    fx.engine.pause();
    await expect.poll(() => processState(pid), { timeout: 20_000 }).toBe('T');
    const t0 = performance.now();
    const cancelled = await fx.engine.cancel(job.id);
    const ms = performance.now() - t0;
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'cancelled by the owner' });
    expect(alive(pid)).toBe(false);
    expect(ms).toBeLessThan(1500); // the SIGKILL would only come after 5 s
    fx.engine.resume();
  });

  it('stopAll (the kill switch) SIGKILLs at once, whatever the grace: no wait for a clean trailer', async () => {
    // A grace this long would hold the old SIGTERM-then-SIGKILL stop; ffmpeg ending on SIGTERM exits 255.
    const fx = useJobEngine({ library, env: paced, stopGraceMs: 60_000 });
    fx.engine.setSettings({ concurrency: 2 });
    const jobs = [];
    for (let i = 0; i < 2; i++) jobs.push(await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast }));
    for (const j of jobs) await expect.poll(() => fx.engine.get(j.id).progress?.percent ?? 0, { timeout: 10_000 }).toBeGreaterThan(1);
    const pids = jobs.map((j) => fx.engine.store.get(j.id)!.pid!);
    expect(await fx.engine.stopAll()).toEqual({ stopped: 2 });
    for (const pid of pids) expect(alive(pid)).toBe(false);
    // Killed by the signal, not ended by ffmpeg itself: no exit code.
    for (const j of jobs) expect(fx.engine.store.get(j.id)).toMatchObject({ status: 'cancelled', exitCode: null });
  });

  it('stopAll on a paused queue ends suspended encodes quickly', async () => {
    const fx = useJobEngine({ library, env: paced, stopGraceMs: 5000 });
    fx.engine.setSettings({ concurrency: 2 });
    const jobs = [];
    for (let i = 0; i < 2; i++) jobs.push(await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast }));
    for (const j of jobs) await expect.poll(() => fx.engine.get(j.id).progress?.percent ?? 0, { timeout: 10_000 }).toBeGreaterThan(1);
    const pids = jobs.map((j) => fx.engine.store.get(j.id)!.pid!);
    fx.engine.pause();
    for (const pid of pids) await expect.poll(() => processState(pid), { timeout: 20_000 }).toBe('T');
    const t0 = performance.now();
    expect(await fx.engine.stopAll()).toEqual({ stopped: 2 });
    expect(performance.now() - t0).toBeLessThan(1500);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    for (const j of jobs) expect(fx.engine.get(j.id)).toMatchObject({ status: 'cancelled', error: 'stopped by the emergency kill switch' });
  });
});
