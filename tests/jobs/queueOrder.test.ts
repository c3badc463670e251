import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBinary } from '../../electron/platform/media';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useJobEngine, MemoryLibrary, waitForJob } from '../helpers/jobEngine';
import { quietPeriod } from '../helpers/waitFor';

// The owner's hand on the queue: moving queued jobs, clearing finished ones, pausing one job. Real ffmpeg, paced
// with -re so a job stays running long enough to pause.
const fast = { x264Preset: 'ultrafast', remuxWhenCompliant: false };
const bin = tempDir('church-order-bin-');
mkdirSync(bin, { recursive: true });
writeFileSync(join(bin, 'ffmpeg'), `#!/bin/sh\nexec "${resolveBinary('ffmpeg').path!}" -re "$@"\n`);
chmodSync(join(bin, 'ffmpeg'), 0o755);
const paced = { ...process.env, FFMPEG_PATH: join(bin, 'ffmpeg') };

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

const library = new MemoryLibrary();
let clip = 0;
let longClip = 0;
beforeAll(async () => {
  const media = tempDir('church-order-media-');
  clip = await library.add(await makeClip(join(media, 'one.mp4'), { seconds: 1 }));
  longClip = await library.add(await makeClip(join(media, 'four.mp4'), { seconds: 4 }));
}, 30_000);

describe('queue order set by the owner', () => {
  it('the engine starts queued jobs in the order jobs.move left, and a moved job takes its new neighbour’s priority', async () => {
    const fx = useJobEngine({ library, start: false });
    fx.engine.setSettings({ concurrency: 1 });
    const a = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const b = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const c = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const urgent = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast, priority: 5 });
    expect(fx.engine.store.queued().map((j) => j.id)).toEqual([urgent.id, a.id, b.id, c.id]);
    // c to the very front (before the priority-5 job): it takes priority 5, nothing else changes.
    const after = fx.engine.move(c.id, urgent.id);
    expect(after.map((j) => j.id)).toEqual([c.id, urgent.id, a.id, b.id]);
    expect(after.map((j) => j.priority)).toEqual([5, 5, 0, 0]);
    // a to the end.
    expect(fx.engine.move(a.id, null).map((j) => j.id)).toEqual([c.id, urgent.id, b.id, a.id]);
    expect(fx.events.of('jobs.changed').some((j) => j.id === a.id && j.position > b.position)).toBe(true);
    // The list the UI reads shows the same order.
    expect(fx.engine.list().jobs.map((j) => j.id)).toEqual([c.id, urgent.id, b.id, a.id]);
    fx.engine.start();
    for (const j of [a, b, c, urgent]) expect((await waitForJob(fx.engine, j.id, ['done', 'failed'])).status).toBe('done');
    const starts: number[] = [];
    for (const j of fx.events.of('jobs.changed')) if (j.status === 'running' && !starts.includes(j.id)) starts.push(j.id);
    expect(starts).toEqual([c.id, urgent.id, b.id, a.id]);
  });

  it('refuses to move a job that is not queued, or before one that is not', async () => {
    const fx = useJobEngine({ library, start: false });
    const a = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const b = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    await fx.engine.cancel(b.id);
    expect(() => fx.engine.move(b.id, null)).toThrow(/job \d+ is cancelled; only queued jobs can be moved/);
    expect(() => fx.engine.move(a.id, b.id)).toThrow(/job \d+ is not queued/);
  });

  it('a finished job keeps its output size; Clear finished removes done, failed and cancelled jobs only', async () => {
    const fx = useJobEngine({ library, start: false });
    fx.engine.setSettings({ concurrency: 1 });
    const done = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    const cancelled = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    await fx.engine.cancel(cancelled.id);
    fx.engine.start();
    const finished = await waitForJob(fx.engine, done.id, ['done', 'failed']);
    expect(finished.status).toBe('done');
    expect(finished.outputBytes).toBe(statSync(finished.outputPath).size);
    fx.engine.pause(); // nothing new starts while the queue is read
    const waiting = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast });
    expect(fx.engine.clearFinished().cleared.sort()).toEqual([done.id, cancelled.id].sort());
    expect(fx.engine.list().jobs.map((j) => j.id)).toEqual([waiting.id]);
    expect(statSync(finished.outputPath).isFile()).toBe(true); // the output stays
  });

  it('pauses one running job (SIGSTOP) while the other runs on; resuming the queue leaves it paused; resumeJob continues it', async () => {
    const fx = useJobEngine({ library, env: paced });
    fx.engine.setSettings({ concurrency: 2 });
    const held = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    const other = await fx.engine.enqueue({ videoId: longClip, preset: 'web', params: fast });
    await expect.poll(() => fx.engine.store.get(held.id)!.pid, { timeout: 20_000 }).toBeTruthy();
    const pid = fx.engine.store.get(held.id)!.pid!;
    const paused = fx.engine.pauseJob(held.id);
    expect(paused).toMatchObject({ status: 'paused', held: true });
    await expect.poll(() => processState(pid), { timeout: 20_000 }).toBe('T');
    expect(fx.engine.get(other.id).status).toMatch(/running|done/);
    // The whole queue paused and resumed: the job paused on its own stays paused.
    fx.engine.pause();
    fx.engine.resume();
    expect(fx.engine.get(held.id).status).toBe('paused');
    await quietPeriod(200);
    expect(processState(pid)).toBe('T');
    expect((await waitForJob(fx.engine, other.id, ['done', 'failed'])).status).toBe('done');
    const resumed = fx.engine.resumeJob(held.id);
    expect(resumed.status).toBe('running');
    expect(resumed.held).toBeUndefined();
    expect((await waitForJob(fx.engine, held.id, ['done', 'failed'])).status).toBe('done');
    expect(() => fx.engine.pauseJob(held.id)).toThrow(/job \d+ is done; only a running job can be paused/);
  });
});
