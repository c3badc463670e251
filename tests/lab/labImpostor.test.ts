import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, expect, it } from 'vitest';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import type { LabStatus } from '../../shared/dto/lab';
import type { VideoDetail } from '../../shared/dto/library';
import { signMessage } from '../../electron/domains/lab/signing';
import { church } from '../helpers/cli';
import { startAgent, useLabCluster, writeSecret, type LabCluster } from '../helpers/lab';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { waitFor } from '../helpers/waitFor';

// The review's two lab findings, reproduced with real parts (Debian's redis-server, `church serve`, real `church
// agent` processes): a Redis user without the lab secret posing as an agent, and an agent whose secret differs.
// Only Redis and the contract are used, as the attacker and the owner would.

const terminal = (j: Job) => isFinishedJobStatus(j.status);

function labFor(cluster: LabCluster) {
  const status = () => cluster.studio.call<LabStatus>('lab.status', {});
  const enqueue = (videoId: number) => cluster.studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
  const finished = (id: number) => waitFor(`job ${id} to end`, async () => {
    const j = await cluster.studio.job(id);
    return terminal(j) ? j : null;
  }, 120_000);
  const outputsOf = async (videoId: number, jobId: number) => (await cluster.studio.call<VideoDetail>('library.get', { id: videoId })).outputs.filter((o) => o.jobId === jobId);
  const importClip = async (file: string) => {
    await cluster.studio.call('library.import', { paths: [file], assets: false });
    return (await cluster.studio.call<{ items: { id: number; title: string }[] }>('library.search', {})).items[0]!.id;
  };
  return { status, enqueue, finished, outputsOf, importClip };
}

/** What a fake agent claims about itself (an announcement as agents wrote them, unsigned). */
function claim(name: string) {
  const now = new Date().toISOString();
  return { name, hostname: name, pid: 1, cores: 64, memoryBytes: 1e12, freeDiskBytes: 1e12, ffmpegVersion: '7.0', encoders: ['libx264'], concurrency: 4, paused: false, running: [], loadAverage: [0, 0, 0], startedAt: now, lastSeen: now };
}

describeWithRedis('a Redis user without the lab secret cannot pose as an agent', () => {
  const cluster = useLabCluster('church-labimp-');
  const lab = labFor(cluster);
  let videoId = 0;
  let planted = '';

  beforeAll(async () => {
    await cluster.startStudio();
    videoId = await lab.importClip(await makeClip(join(cluster.dir, 'clip.avi'), { seconds: 1, vcodec: 'mpeg4', audio: false }));
    planted = await makeClip(join(cluster.dir, 'planted.mp4'), { seconds: 1 });
  }, 120_000);

  it('its heartbeat is listed untrusted with why, the job it takes shows no transfer URL, and what it returns is never registered', async () => {
    const redis = new Redis(cluster.redis.url);
    // The fake agent's heartbeat, kept fresh as a running agent's would be: one unsigned, one signed with a secret
    // that is not the lab's.
    const beat = async () => {
      await redis.multi()
        .set('church:lab:agent:evil', JSON.stringify(claim('evil')))
        .set('church:lab:agent:mallet', JSON.stringify(signMessage(Buffer.from('not-the-lab-secret-0123456789abcdef'), claim('mallet'))))
        .sadd('church:lab:agents', 'evil', 'mallet')
        .exec();
    };
    await beat();
    const beating = setInterval(() => void beat(), 300);
    const seen: unknown[] = [];
    const attack: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Takes jobs from the lab's queue as an agent would; with URLs in the payload it downloads the source and
    // uploads a file of its own as the output, then reports success as "evil".
    const worker = new Worker('church-encode', async (job) => {
      seen.push(job.data);
      await gate;
      const body = (job.data as { body?: { sources?: { url: string }[]; outputUrl?: string } }).body;
      if (body?.outputUrl) {
        attack.push(`source ${(await fetch(body.sources![0]!.url)).status}`);
        attack.push(`upload ${(await fetch(body.outputUrl, { method: 'PUT', body: readFileSync(planted) })).status}`);
      }
      return { host: 'evil', logTail: 'planted', fellBack: false };
    }, { connection: { url: cluster.redis.url }, concurrency: 4 });
    try {
      const view = await lab.status();
      const evil = view.agents.find((a) => a.name === 'evil');
      const mallet = view.agents.find((a) => a.name === 'mallet');
      expect(evil?.state).toBe('untrusted');
      expect(evil?.untrusted?.reason).toBe('unsigned');
      expect(mallet?.state).toBe('untrusted');
      expect(mallet?.untrusted?.reason).toBe('wrong-secret');
      expect(mallet?.untrusted?.detail).toMatch(/another lab secret/);

      const job = await lab.enqueue(videoId);
      await waitFor('the fake agent to take the job', () => seen.length >= 1);
      // Sealed: the Redis reader sees no address to fetch the source from or upload an output to.
      expect(JSON.stringify(seen[0])).not.toMatch(/http:|\/lab\/|sig=/);
      release();
      const end = await lab.finished(job.id);
      expect(end.status).toBe('failed');
      expect(end.error).toMatch(/not signed by a lab agent/);
      expect(end.host).not.toBe('evil');
      expect(attack).toEqual([]);
      expect(await lab.outputsOf(videoId, job.id)).toEqual([]);
      expect(readdirSync(dirname(end.outputPath)).filter((f) => f.startsWith('.church-tmp-'))).toEqual([]);
      // Its four claimed slots are no capacity: the studio's view of the lab counts no trusted agent.
      expect((await lab.status()).agents.filter((a) => a.state !== 'untrusted' && a.state !== 'offline')).toEqual([]);
    } finally {
      release();
      clearInterval(beating);
      await worker.close();
      redis.disconnect();
    }
  }, 180_000);
});

describeWithRedis('an agent whose lab secret differs from the studio\'s', () => {
  const cluster = useLabCluster('church-labstray-');
  const lab = labFor(cluster);
  let videoId = 0;

  beforeAll(async () => {
    // Started before the studio: nothing in Redis tells it yet that its secret is not the studio's.
    const stray = await startAgent({ redis: cluster.redis, secretFile: writeSecret(cluster.dir, 'wrong.secret', randomBytes(32).toString('hex')), name: 'stray', dataDir: join(cluster.dir, 'agent-stray'), cacheDir: cluster.dir });
    cluster.agents.push(stray);
    await cluster.startStudio();
    videoId = await lab.importClip(await makeClip(join(cluster.dir, 'clip.avi'), { seconds: 1, vcodec: 'mpeg4', audio: false }));
  }, 180_000);

  it('is listed untrusted (wrong secret), says once that its secret differs, and leaves the jobs for an agent with the studio\'s secret', async () => {
    const stray = cluster.agents.find((a) => a.name === 'stray')!;
    const view = await waitFor('the stray agent in the lab status', async () => (await lab.status()).agents.find((a) => a.name === 'stray'));
    expect(view.state).toBe('untrusted');
    expect(view.untrusted?.reason).toBe('wrong-secret');
    await waitFor('the stray agent to say its secret differs', () => /lab secret differs from the studio's/.test(stray.stderr()), 30_000);
    const text = await church(['--lab', cluster.redis.url, '--lab-secret-file', cluster.secret, 'lab', '--data-dir', join(cluster.dir, 'cli')], { env: { CHURCH_NO_ATTACH: '1' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/stray\s+untrusted \(wrong-secret\): its heartbeat is signed with another lab secret/);

    await cluster.startAgent('good');
    const jobs = [await lab.enqueue(videoId), await lab.enqueue(videoId)];
    for (const j of jobs) {
      const end = await lab.finished(j.id);
      expect(end.status, end.error ?? '').toBe('done');
      expect(end.host).toBe('good');
      expect(await lab.outputsOf(videoId, j.id)).toHaveLength(1);
    }
    expect(stray.stderr().match(/lab secret differs/g)).toHaveLength(1);
    expect(stray.child.exitCode).toBeNull();
  }, 240_000);
});
