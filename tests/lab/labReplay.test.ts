import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job as BullJob, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveBinary } from '../../electron/platform/media';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import { useLabCluster, type AgentProc } from '../helpers/lab';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { waitFor } from '../helpers/waitFor';

// Replays as the review tried them, with real parts (redis-server, church serve, a church agent, real ffmpeg):
// what a Redis reader records — a job envelope, a control message — sent again, and what `ps` shows of an
// agent's ffmpeg. The captures are taken raw from Redis, so the test holds whatever the payload looks like.

const CONTROL_CHANNEL = 'church:lab:control';
const QUEUE = 'church-encode';

/** Real ffmpeg behind a wrapper that writes each lab encode's arguments — what /proc/<pid>/cmdline shows. */
function writeArgvWrapper(dir: string): { ffmpeg: string; argvLog: string } {
  const real = resolveBinary('ffmpeg').path;
  if (!real) throw new Error('ffmpeg is required for the lab tests');
  const argvLog = join(dir, 'argv.log');
  const ffmpeg = join(dir, 'ffmpeg-argv');
  writeFileSync(ffmpeg, `#!/bin/sh
case "$*" in
  *"/lab-work/"*) printf '%s\\n' "$*" >> '${argvLog}' ;;
esac
exec ${real} "$@"
`, { mode: 0o755 });
  return { ffmpeg, argvLog };
}

const encodes = (log: string): string[] => {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describeWithRedis('replays and what an agent shows of its work', () => {
  const lab = useLabCluster('church-lab-replay-');
  let redis: Redis;
  let queue: Queue;
  let agent: AgentProc;
  let wrapper: ReturnType<typeof writeArgvWrapper>;
  let videoId = 0;

  const startReplayAgent = () => lab.startAgent('replay', { ffmpeg: wrapper.ffmpeg });
  const finished = (id: number) => waitFor(`job ${id} to end`, async () => {
    const j = await lab.studio.job(id);
    return isFinishedJobStatus(j.status) ? j : null;
  }, 120_000);
  const announced = async (): Promise<{ paused: boolean; pid: number } | null> => {
    const raw = await redis.get('church:lab:agent:replay');
    // An announcement is signed with the agent's own key: its fields are the envelope's body.
    return raw ? (JSON.parse(raw) as { body: { paused: boolean; pid: number } }).body : null;
  };
  const failedReason = (id: string) => waitFor(`BullMQ job ${id} to fail`, async () => {
    const j = await BullJob.fromId(queue, id);
    if (!j) return null;
    const state = await j.getState();
    if (state === 'completed') throw new Error(`the replayed job ${id} completed`);
    return state === 'failed' ? j.failedReason : null;
  });

  beforeAll(async () => {
    wrapper = writeArgvWrapper(lab.dir);
    const media = join(lab.dir, 'media');
    mkdirSync(media);
    await makeClip(join(media, 'clip.avi'), { seconds: 1, vcodec: 'mpeg4', audio: false });
    await lab.startStudio();
    await lab.studio.call('library.import', { paths: [join(media, 'clip.avi')], assets: false });
    videoId = (await lab.studio.call<{ items: { id: number }[] }>('library.search', {})).items[0]!.id;
    agent = await startReplayAgent();
    redis = new Redis(lab.redis.url);
    queue = new Queue(QUEUE, { connection: { url: lab.redis.url } });
  }, 120_000);

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
  });

  it('runs a job without putting its signed source URL on ffmpeg’s command line', async () => {
    const job = await lab.studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    const done = await finished(job.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.progress?.host).toBe('replay');
    const lines = encodes(wrapper.argvLog);
    expect(lines).toHaveLength(1);
    // The source was read over HTTP (no path mapping), yet neither the studio's ticket nor a signature shows.
    expect(lines[0]).not.toMatch(/\/lab\/source\/|sig=|exp=/);
    expect(lines[0]).toMatch(/-i http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('refuses a recorded job envelope queued again, under a new BullMQ id or under its own once it ran', async () => {
    const [key] = await redis.keys(`bull:${QUEUE}:studio-*`).then((ks) => ks.filter((k) => /:studio-[\w-]+$/.test(k)));
    expect(key).toBeTruthy();
    const originalId = key!.slice(`bull:${QUEUE}:`.length);
    const recorded = JSON.parse((await redis.hget(key!, 'data'))!) as unknown;
    const before = encodes(wrapper.argvLog).length;

    await queue.add('encode', recorded, { jobId: 'replayed-elsewhere', attempts: 1 });
    // Sealed for its own BullMQ id, the copy does not even open under another: it is refused as not the studio's.
    expect(await failedReason('replayed-elsewhere')).toMatch(/refused the job.*(another BullMQ job|replayed|does not open with this agent's key; it was not written by the studio)/);

    await (await BullJob.fromId(queue, originalId))!.remove();
    await queue.add('encode', recorded, { jobId: originalId, attempts: 1 });
    expect(await failedReason(originalId)).toMatch(/refused the job.*replayed/);
    // Neither copy ran ffmpeg.
    expect(encodes(wrapper.argvLog)).toHaveLength(before);
  });

  it('ignores a control message replayed to the agent after it restarted', async () => {
    const sub = new Redis(lab.redis.url);
    const captured: string[] = [];
    sub.on('message', (_c: string, m: string) => captured.push(m));
    await sub.subscribe(CONTROL_CHANNEL);
    await lab.studio.call('lab.pauseAgent', { name: 'replay', paused: true });
    await waitFor('the agent to pause', async () => (await announced())?.paused === true && captured.length > 0);
    const pauseMessage = captured[0]!;
    sub.disconnect();

    await agent.stop();
    await redis.del('church:lab:agent:replay');
    agent = await startReplayAgent();
    const fresh = await waitFor('the restarted agent to announce itself', async () => {
      const a = await announced();
      return a && a.pid === agent.child.pid ? a : null;
    });
    expect(fresh.paused).toBe(false);

    // The Redis reader sends the recorded pause again, seconds later.
    await redis.publish(CONTROL_CHANNEL, pauseMessage);
    await waitFor('the agent to act on the replay or refuse it', async () => /ignored a control message/.test(agent.stderr()) || (await announced())?.paused === true);
    expect(agent.stderr()).toMatch(/ignored a control message: replayed/);
    expect((await announced())?.paused).toBe(false);
  });
});
