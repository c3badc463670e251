import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { labConfig } from '../../electron/domains/lab';
import { LabRunner } from '../../electron/domains/lab/LabRunner';
import { ENCODE_QUEUE } from '../../electron/domains/lab/names';
import type { LabJobResult } from '../../electron/domains/lab/protocol';
import type { SignedEnvelope } from '../../electron/domains/lab/signing';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { readManifest } from '../../electron/domains/jobs/chunks/chunkWorkDir';
import { audioGaps, ffmpegsUnder, KEYFRAME_EVERY_SECOND, videoFrames } from '../helpers/chunks';
import { useJobEngine, waitForJob, type JobEngineFixture } from '../helpers/jobEngine';
import { useLabCluster, writeWrappers } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

// A chunked job with the lab on: the studio's engine (in this process) hands each unit to BullMQ on Debian's
// redis-server, two real `church agent` processes encode them with real ffmpeg, reading the source by signed URL
// and uploading each unit back; the studio joins them as it joins local chunks.

/**
 * Redis, two agents and the studio's LabRunner for one describe block, and a reader of BullMQ's encode queue.
 * `paced`: the agents encode in real time (-re), so a job can be stopped with some chunks done and some not.
 */
function labWithTwoAgents(prefix: string, names: [string, string], paced = false) {
  const cluster = useLabCluster(prefix);
  const lab = { dir: cluster.dir, agents: cluster.agents, runner: null as unknown as LabRunner, queue: null as unknown as Queue };
  beforeAll(async () => {
    const ffmpeg = paced ? writeWrappers(cluster.dir).slow : undefined;
    for (const name of names) await cluster.startAgent(name, ffmpeg ? { ffmpeg } : {});
    lab.runner = await LabRunner.open({ lab: labConfig(cluster.redis.url, cluster.secret), transfer: { bindHost: '127.0.0.1', port: 0, advertiseHost: '127.0.0.1' }, watchMs: 300 });
    lab.queue = new Queue(ENCODE_QUEUE, { connection: { url: cluster.redis.url } });
    await waitFor('both agents online', () => lab.runner.capacity() === 2);
  }, 120_000);
  // Registered after the cluster's: vitest runs after-hooks in reverse, so these close before its agents and Redis stop.
  afterAll(async () => {
    await lab.queue?.close();
    await lab.runner?.close();
  });
  return lab;
}

describeWithRedis('chunked jobs on lab agents', () => {
  const lab = labWithTwoAgents('church-lab-chunks-', ['alpha', 'beta']);
  let fx: JobEngineFixture;
  beforeAll(() => {
    fx = useJobEngine({ remote: lab.runner });
  });
  // Registered after the lab's: vitest runs after-hooks in reverse, so the engine closes before the lab does.
  afterAll(() => fx?.close());

  it("runs every unit of a chunked job on the agents and joins them frame-exact, audio continuous", async () => {
    // 6 s at 25 fps with a keyframe every second: three chunks of 2 s and the audio pass.
    const clip = await makeClip(join(lab.dir, 'sermon.mp4'), { seconds: 6, extra: ['-g', '25'] });
    const videoId = await fx.library.add(clip);
    const job = await fx.engine.enqueue({ videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast', chunkSeconds: 2 } });
    const done = await waitForJob(fx.engine, job.id, ['done', 'failed', 'cancelled'], 180_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    expect(done.plan).toMatch(/chunked: 3 chunks of ~2 s/);

    // Each unit was one lab job an agent completed (and uploaded: the runner checks the upload arrived).
    const ran = (await lab.queue.getCompleted(0, 100)).filter((j) => j.id?.startsWith(`studio-${job.id}-`));
    expect(ran.map((j) => j.id!.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual([0, 1, 2].map((i) => `studio-${job.id}-a0-unit-chunk-0000${i}_mp4`).concat(`studio-${job.id}-a0-unit-audio_m4a`).sort());
    // Each result is signed by the agent that ran the unit (its own key), over its job id.
    for (const j of ran) expect(['alpha', 'beta']).toContain((j.returnvalue as SignedEnvelope<LabJobResult>).body.host);
    for (const j of ran) expect((j.returnvalue as SignedEnvelope<LabJobResult>).body.bullId).toBe(j.id);

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

describeWithRedis('a chunked job on lab agents resumes', () => {
  const lab = labWithTwoAgents('church-lab-chunks-resume-', ['paced-a', 'paced-b'], true);

  const completedUnits = async (jobId: number) =>
    new Set((await lab.queue.getCompleted(0, 500)).map((j) => j.id!).filter((id) => id.startsWith(`studio-${jobId}-`)));
  const unitName = (bullId: string) => bullId.replace(/^studio-\d+-a\d+-/, '').replace(/-[0-9a-f]{8}$/, '').replace(/_(mp4|m4a)$/, '.$1');

  it('stopped with some chunks done on the agents, the studio starts again and sends only the unfinished ones', async () => {
    // 10 s, a keyframe every second, 2 s chunks: five chunks and the audio pass.
    const clip = await makeClip(join(lab.dir, 'sermon.mp4'), { seconds: 10, extra: KEYFRAME_EVERY_SECOND });
    const first = useJobEngine({ remote: lab.runner });
    const videoId = await first.library.add(clip);
    const job = await first.engine.enqueue({ videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast', chunkSeconds: 2 } });
    const workDir = join(first.dataDir, 'jobs-work', String(job.id));
    const doneChunks = () => Object.keys(readManifest(workDir)?.done ?? {}).filter((n) => n.startsWith('unit-chunk-'));
    await expect.poll(() => doneChunks().length, { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(2);

    // The studio quits mid-job: the job goes back to the queue, and the agents stop the units they were encoding.
    await first.engine.close();
    expect(first.engine.get(job.id).status).toBe('queued');
    await first.close();
    const finished = doneChunks().sort();
    expect(finished.length).toBeLessThan(5);
    const ranBefore = await completedUnits(job.id);
    await expect.poll(() => lab.agents.flatMap((a) => ffmpegsUnder(join(lab.dir, `agent-${a.name}`, 'lab-work'))), { timeout: 30_000 }).toEqual([]);

    // The next start on the same data dir queues it again and resumes from the chunks on disk.
    const second = useJobEngine({ remote: lab.runner, library: first.library, dataDir: first.dataDir });
    const done = await waitForJob(second.engine, job.id, ['done', 'failed', 'cancelled'], 240_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    expect(done.plan).toMatch(new RegExp(`resumed with ${finished.length} of 5 chunks already done`));
    // Only the unfinished chunks went to the agents again (the plan counted the finished ones as done).
    const ranAfter = [...(await completedUnits(job.id))].filter((id) => !ranBefore.has(id)).map(unitName);
    expect(ranAfter.filter((n) => n.startsWith('unit-chunk-')).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `unit-chunk-0000${i}.mp4`).filter((n) => !finished.includes(n)));
    expect((await videoFrames(done.outputPath)).frames).toBe(250);
    const audio = await audioGaps(done.outputPath);
    expect(audio.maxGapSec).toBeLessThan(0.001);
  }, 300_000);
});
