import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labConfig, LabRunner } from '../../electron/main/services/lab';
import { ENCODE_QUEUE } from '../../electron/main/services/lab/names';
import type { LabJobResult } from '../../electron/main/services/lab/protocol';
import { makeClip } from '../helpers/media';
import { redisAvailable, TestRedis } from '../helpers/redis';
import { tempDir } from '../helpers/tempDir';
import { audioGaps, videoFrames } from '../jobs/chunkHelpers';
import { engineFixture, waitFor as jobStatus, type EngineFixture } from '../jobs/engineFixture';
import { startAgent, waitFor, writeSecret, type AgentProc } from './labFixture';

// A chunked job with the lab on: the studio's engine (in this process) hands each unit to BullMQ on Debian's
// redis-server, two real `church agent` processes encode them with real ffmpeg, reading the source by signed URL
// and uploading each unit back; the studio joins them as it joins local chunks.
const run = redisAvailable() ? describe : describe.skip;
if (!redisAvailable()) console.log('SKIPPED: lab chunk tests — no /usr/bin/redis-server on this machine (apt-get install redis-server)');

run('chunked jobs on lab agents', () => {
  const dir = tempDir('church-lab-chunks-');
  let redis: TestRedis;
  let runner: LabRunner;
  let fx: EngineFixture;
  let queue: Queue;
  const agents: AgentProc[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start(dir);
    const secret = writeSecret(dir);
    for (const name of ['alpha', 'beta']) agents.push(await startAgent({ redis, secretFile: secret, name, dataDir: join(dir, `agent-${name}`), cacheDir: dir }));
    runner = await LabRunner.open({ lab: labConfig(redis.url, secret), transfer: { bindHost: '127.0.0.1', port: 0, advertiseHost: '127.0.0.1' }, watchMs: 300 });
    fx = engineFixture({ remote: runner });
    queue = new Queue(ENCODE_QUEUE, { connection: { url: redis.url } });
    await waitFor('both agents online', () => runner.capacity() === 2);
  }, 120_000);

  afterAll(async () => {
    await fx?.close();
    await queue?.close();
    await runner?.close();
    for (const a of agents) await a.stop().catch(() => undefined);
    await redis?.stop();
  });

  it("runs every unit of a chunked job on the agents and joins them frame-exact, audio continuous", async () => {
    // 6 s at 25 fps with a keyframe every second: three chunks of 2 s and the audio pass.
    const clip = await makeClip(join(dir, 'sermon.mp4'), { seconds: 6, extra: ['-g', '25'] });
    const videoId = await fx.library.add(clip);
    const job = await fx.engine.enqueue({ videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast', chunkSeconds: 2 } });
    const done = await jobStatus(fx.engine, job.id, ['done', 'failed', 'cancelled'], 180_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    expect(done.plan).toMatch(/chunked: 3 chunks of ~2 s/);

    // Each unit was one lab job an agent completed (and uploaded: the runner checks the upload arrived).
    const ran = (await queue.getCompleted(0, 100)).filter((j) => j.id?.startsWith(`studio-${job.id}-`));
    expect(ran.map((j) => j.id!.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual([0, 1, 2].map((i) => `studio-${job.id}-a0-unit-chunk-0000${i}_mp4`).concat(`studio-${job.id}-a0-unit-audio_m4a`).sort());
    for (const j of ran) expect(['alpha', 'beta']).toContain((j.returnvalue as LabJobResult).host);

    const src = await videoFrames(clip);
    const out = await videoFrames(done.outputPath);
    expect(out.frames).toBe(src.frames);
    expect(Math.abs(out.durationSec - src.durationSec)).toBeLessThan(0.05);
    const audio = await audioGaps(done.outputPath);
    expect(audio.maxGapSec).toBeLessThan(0.001);
    expect(Math.abs(audio.endSec - 6)).toBeLessThan(0.1);

    // The whole job's progress counted its chunks as they came back from the agents.
    const chunkCounts = fx.events.of('jobs.progress').filter((p) => p.jobId === job.id && p.chunks).map((p) => p.chunks!);
    expect(chunkCounts.length).toBeGreaterThan(0);
    expect(chunkCounts.every((c) => c.total === 3)).toBe(true);
  }, 240_000);
});
