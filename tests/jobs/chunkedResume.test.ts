import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBinary } from '../../electron/platform/media';
import { localUnitRunner, UnitFailed, type UnitRunner } from '../../electron/domains/jobs/chunks/chunkUnit';
import { readManifest } from '../../electron/domains/jobs/chunks/chunkWorkDir';
import { CHURCH_BIN, church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { chunkTimes, compareVideos, ffmpegsUnder, KEYFRAME_EVERY_SECOND, pacedChunksEnv, videoFrames } from '../helpers/chunks';
import { useJobEngine, MemoryLibrary, waitForJob } from '../helpers/jobEngine';

// Resume of chunked encodes: after kill -9 of the process running the engine, after pause → quit → start, and
// the restart from zero when the source changed. The first run paces chunk encodes (-re) so it can be cut midway.
const fast = { x264Preset: 'ultrafast', remuxWhenCompliant: false, chunkSeconds: 2 };
const ffmpeg = resolveBinary('ffmpeg').path!;
const media = tempDir('church-chunked-resume-');
let src = '';

beforeAll(async () => {
  src = await makeClip(join(media, 'src.mp4'), { seconds: 10, extra: KEYFRAME_EVERY_SECOND });
}, 60_000);

const doneChunks = (workDir: string) => Object.keys(readManifest(workDir)?.done ?? {}).filter((n) => n.startsWith('unit-chunk-'));

/** The local runner, recording which units ran and the finished chunks' times when the first unit starts. */
function recordingRunner(workDir: string): { runUnit: UnitRunner; ran: string[]; timesAtStart: Map<string, number> | null; written: Map<string, number> } {
  const local = localUnitRunner(ffmpeg, process.env, 120_000);
  const rec = { ran: [] as string[], timesAtStart: null as Map<string, number> | null, written: new Map<string, number>(), runUnit: null as unknown as UnitRunner };
  rec.runUnit = async (unit, hooks) => {
    rec.timesAtStart ??= chunkTimes(workDir);
    rec.ran.push(unit.name);
    await local(unit, hooks);
    rec.written.set(unit.name, statSync(unit.path).mtimeMs);
  };
  return rec;
}

describe('chunked encodes resume', () => {
  it('after kill -9 of the engine, only the unfinished chunks are encoded again (the finished files keep their times)', async () => {
    const dir = tempDir('church-chunked-kill-');
    const env = { ...pacedChunksEnv(media), CHURCH_NO_ATTACH: '1' };
    expect((await church(['import', src, '--no-assets', '--data-dir', dir], { env, timeoutMs: 180_000 })).code).toBe(0);
    const child = spawn(process.execPath, [CHURCH_BIN, 'transcode', '1', '--preset', 'web', '--chunk-seconds', '2', '--param', 'remuxWhenCompliant=false', '--param', 'x264Preset=ultrafast', '--data-dir', dir], { env, stdio: 'ignore' });
    const workDir = join(dir, 'jobs-work', '1');
    // The CLI's cold start takes tens of seconds on a loaded machine before its first chunk.
    await expect.poll(() => doneChunks(workDir).length, { timeout: 180_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killedAt = Date.now();
    const finished = doneChunks(workDir);
    const before = chunkTimes(workDir);
    expect(finished.length).toBeLessThan(5);

    const library = new MemoryLibrary();
    await library.add(src);
    const rec = recordingRunner(workDir);
    const fx = useJobEngine({ library, dataDir: dir, runChunkUnit: rec.runUnit });
    const job = await waitForJob(fx.engine, 1, ['done', 'failed'], 120_000);
    expect(job.error).toBeNull();
    expect(job.attempts).toBe(2);
    expect(job.plan).toMatch(new RegExp(`resumed with ${finished.length} of 5 chunks already done`));
    // Only the unfinished chunks ran; the finished files were not rewritten (same modification time).
    const ranChunks = rec.ran.filter((n) => n.startsWith('unit-chunk-')).sort();
    expect(ranChunks).toEqual([0, 1, 2, 3, 4].map((i) => `unit-chunk-0000${i}.mp4`).filter((n) => !finished.includes(n)));
    for (const n of finished) expect(rec.timesAtStart!.get(n)).toBe(before.get(n));
    for (const n of ranChunks) expect(rec.written.get(n)).toBeGreaterThanOrEqual(killedAt - 1);
    // The ffmpeg the killed engine left running is gone (recovery killed it), and the output is frame-exact.
    expect(ffmpegsUnder(workDir)).toEqual([]);
    expect((await videoFrames(job.outputPath)).frames).toBe(250);
  }, 480_000);

  it('pause releases the chunk processes; pause → quit → start continues from the finished chunks', async () => {
    const library = new MemoryLibrary();
    const id = await library.add(src);
    const first = useJobEngine({ library, env: pacedChunksEnv(tempDir('church-chunked-bin-')) });
    const job = await first.engine.enqueue({ videoId: id, preset: 'web', params: fast });
    const workDir = join(first.dataDir, 'jobs-work', String(job.id));
    await expect.poll(() => doneChunks(workDir).length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => ffmpegsUnder(workDir).length, { timeout: 30_000 }).toBeGreaterThan(0);
    first.engine.pause();
    await expect.poll(() => first.engine.get(job.id).status, { timeout: 10_000 }).toBe('paused');
    await expect.poll(() => ffmpegsUnder(workDir), { timeout: 20_000 }).toEqual([]);
    const finished = doneChunks(workDir);
    await first.engine.close();
    // Handed back to the queue for the next engine, its finished chunks kept for it.
    expect(first.engine.get(job.id).status).toBe('queued');
    expect(doneChunks(workDir)).toEqual(finished);
    await first.close();

    const rec = recordingRunner(workDir);
    const second = useJobEngine({ library, dataDir: first.dataDir, runChunkUnit: rec.runUnit });
    const done = await waitForJob(second.engine, job.id, ['done', 'failed'], 120_000);
    expect(done.error).toBeNull();
    expect(done.plan).toMatch(new RegExp(`resumed with ${finished.length} of 5 chunks`));
    expect(rec.ran.filter((n) => finished.includes(n))).toEqual([]);
    expect((await videoFrames(done.outputPath)).frames).toBe(250);
  }, 180_000);

  it('a source changed between runs restarts from zero, with a note', async () => {
    const library = new MemoryLibrary();
    const path = await makeClip(join(media, 'changing.mp4'), { seconds: 10, extra: KEYFRAME_EVERY_SECOND });
    const id = await library.add(path);
    const first = useJobEngine({ library, env: pacedChunksEnv(tempDir('church-chunked-bin-')) });
    const job = await first.engine.enqueue({ videoId: id, preset: 'web', params: fast });
    const workDir = join(first.dataDir, 'jobs-work', String(job.id));
    await expect.poll(() => doneChunks(workDir).length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    await first.close();
    // Same length and frame count, other pictures.
    await makeClip(path, { seconds: 10, extra: [...KEYFRAME_EVERY_SECOND, '-vf', 'negate'] });

    const rec = recordingRunner(workDir);
    const second = useJobEngine({ library, dataDir: first.dataDir, runChunkUnit: rec.runUnit });
    const done = await waitForJob(second.engine, job.id, ['done', 'failed'], 120_000);
    expect(done.error).toBeNull();
    expect(done.plan).toMatch(/source file changed since the last attempt.*restarted from zero/);
    expect(rec.ran.filter((n) => n.startsWith('unit-chunk-'))).toHaveLength(5);
    expect((await compareVideos(done.outputPath, path)).ssim).toBeGreaterThan(0.9);
  }, 180_000);
});

// Soak finding 3: a chunked job whose first unit failed kept a work folder holding nothing but an empty manifest.
describe('a failed chunked job keeps its work folder only when it holds finished chunks', () => {
  it('none finished: the folder goes; one finished: kept for a retry, and gone once the job is cancelled', async () => {
    const library = new MemoryLibrary();
    const videoId = await library.add(src);
    const failEvery: UnitRunner = async (unit) => {
      throw new UnitFailed(`${unit.label}: failed on purpose`, '', 1);
    };
    const fx = useJobEngine({ library, runChunkUnit: failEvery });
    const first = await fx.engine.enqueue({ videoId, preset: 'web', params: fast });
    expect((await waitForJob(fx.engine, first.id, ['done', 'failed'])).status).toBe('failed');
    expect(existsSync(join(fx.dataDir, 'jobs-work', String(first.id)))).toBe(false);
    await fx.close();

    const local = localUnitRunner(ffmpeg, process.env, 120_000);
    let started = 0;
    const failAfterOne: UnitRunner = async (unit, hooks) => {
      if (started++ === 0) return local(unit, hooks);
      throw new UnitFailed(`${unit.label}: failed on purpose`, '', 1);
    };
    const again = useJobEngine({ library, runChunkUnit: failAfterOne });
    // One unit at a time: the first one finishes before the second fails.
    again.engine.setSettings({ concurrency: 1 });
    const second = await again.engine.enqueue({ videoId, preset: 'web', params: fast });
    expect((await waitForJob(again.engine, second.id, ['done', 'failed'])).status).toBe('failed');
    const workDir = join(again.dataDir, 'jobs-work', String(second.id));
    expect(Object.keys(readManifest(workDir)?.done ?? {})).toHaveLength(1);
    expect(await again.engine.cancel(second.id)).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/^cancelled after it failed \(/) });
    expect(existsSync(workDir)).toBe(false);
    await again.close();
  });
});
