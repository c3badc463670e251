import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, expect, it } from 'vitest';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import type { LabStatus } from '../../shared/dto/lab';
import type { VideoDetail } from '../../shared/dto/library';
import { agentCredential, studioKeys } from '../../electron/domains/lab/identity';
import { ANNOUNCE_TTL_MS, OUTPUT_TOKEN, SOURCE_TOKEN, type LabJobBody, type LabJobResult } from '../../electron/domains/lab/protocol';
import { openPayload, sealPayload } from '../../electron/domains/lab/sealing';
import { signMessage, verifyMessage } from '../../electron/domains/lab/signing';
import { church } from '../helpers/cli';
import { startAgent, useLabCluster, writeSecret, writeWrappers } from '../helpers/lab';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { waitFor } from '../helpers/waitFor';

// Per-agent identity with real parts (Debian's redis-server, `church serve`, real `church agent` processes): an
// agent running on its own key file, a compromised lab agent ("mallory", holding its own key) trying to hand in
// another agent's job, an agent whose clock is off, and an agent whose secret differs picking a job it cannot open.

const labSecret = (file: string) => Buffer.from(readFileSync(file, 'utf8').trim());

describeWithRedis('one lab agent cannot speak for another', () => {
  const cluster = useLabCluster('church-labkeys-');
  let videoId = 0;
  let planted = '';

  const status = () => cluster.studio.call<LabStatus>('lab.status', {});

  beforeAll(async () => {
    await cluster.startStudio();
    const clip = await makeClip(join(cluster.dir, 'slow.avi'), { seconds: 20, vcodec: 'mpeg4', audio: false, width: 160, height: 120 });
    planted = await makeClip(join(cluster.dir, 'planted.mp4'), { seconds: 1 });
    await cluster.studio.call('library.import', { paths: [clip], assets: false });
    videoId = (await cluster.studio.call<{ items: { id: number }[] }>('library.search', {})).items[0]!.id;
  }, 120_000);

  it('an agent runs on its own key file (made by church agent-key), which holds neither the lab secret nor another agent\'s key', async () => {
    const keyFile = join(cluster.dir, 'good.key');
    const made = await church(['agent-key', 'good', '--out', keyFile, '--lab-secret-file', cluster.secret, '--data-dir', join(cluster.dir, 'cli')], { env: { CHURCH_NO_ATTACH: '1' } });
    expect(made.code, made.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).not.toContain(readFileSync(cluster.secret, 'utf8').trim());
    const again = await church(['agent-key', 'good', '--out', keyFile, '--lab-secret-file', cluster.secret, '--data-dir', join(cluster.dir, 'cli')], { env: { CHURCH_NO_ATTACH: '1' } });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists already/);
    // Under another name the key is refused at once, with what to do.
    const wrongName = await church(['agent', '--lab', cluster.redis.url, '--secret-file', keyFile, '--name', 'other', '--data-dir', join(cluster.dir, 'agent-other')], { timeoutMs: 60_000 });
    expect(wrongName.code).toBe(2);
    expect(wrongName.stderr).toMatch(/this agent key is for the agent "good"; start the agent with --name good/);

    const slow = writeWrappers(cluster.dir).slow;
    const good = await startAgent({ redis: cluster.redis, secretFile: keyFile, name: 'good', dataDir: join(cluster.dir, 'agent-good'), ffmpeg: slow, cacheDir: cluster.dir });
    cluster.agents.push(good);
    const view = await waitFor('good in the lab status', async () => (await status()).agents.find((a) => a.name === 'good' && a.state === 'idle'));
    expect(view.untrusted ?? null).toBeNull();
  }, 180_000);

  it('a lab agent that did not take a job cannot hand it in: its upload and its own signed result are refused', async () => {
    const job = await cluster.studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    await waitFor('the job to run on good', async () => {
      const j = await cluster.studio.job(job.id);
      return j.progress?.host === 'good' && (j.progress.outTimeSec ?? 0) > 0;
    });
    // mallory is a lab agent (it holds its own key, hence the job seal): it can read the job, not sign as good.
    const mallory = agentCredential(labSecret(cluster.secret), 'mallory');
    const redis = new Redis(cluster.redis.url);
    const queue = new Queue('church-encode', { connection: redis });
    try {
      const [active] = await queue.getActive();
      const bullId = String(active!.id);
      const body = verifyMessage<LabJobBody>(mallory.studio, openPayload(mallory.seal, bullId, active!.data), { maxAgeMs: 60_000, replay: null });
      const bytes = readFileSync(planted);
      expect((await fetch(body.outputUrl, { method: 'PUT', body: bytes })).status).toBe(201);
      const result: LabJobResult = { bullId, host: 'mallory', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, logTail: '', fellBack: false };
      const token = await redis.get(`bull:church-encode:${bullId}:lock`);
      await active!.moveToCompleted(signMessage(mallory.key, result), token!, false);
      const end = await waitFor('the job to end', async () => {
        const j = await cluster.studio.job(job.id);
        return isFinishedJobStatus(j.status) ? j : null;
      }, 120_000);
      expect(end.status).toBe('failed');
      expect(end.error).toMatch(/signed by the agent mallory, but good took the job/);
      const outputs = (await cluster.studio.call<VideoDetail>('library.get', { id: videoId })).outputs.filter((o) => o.jobId === job.id);
      expect(outputs).toEqual([]);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  }, 180_000);

  it('an agent whose clock is off the studio\'s is listed untrusted (clock skew), with by how much', async () => {
    const redis = new Redis(cluster.redis.url);
    try {
      const key = agentCredential(labSecret(cluster.secret), 'skewed').key;
      const now = Date.now();
      const ann = { name: 'skewed', hostname: 'skewed', pid: 1, cores: 2, memoryBytes: 1, freeDiskBytes: null, ffmpegVersion: '7', encoders: ['libx264'], concurrency: 2, paused: false, running: [], loadAverage: [0, 0, 0], startedAt: new Date(now).toISOString(), lastSeen: new Date(now - 120_000).toISOString() };
      // Written now (by Redis's clock), signed by a clock two minutes behind.
      await redis.multi().set('church:lab:agent:skewed', JSON.stringify(signMessage(key, ann, now - 120_000)), 'PX', ANNOUNCE_TTL_MS).sadd('church:lab:agents', 'skewed').exec();
      const view = (await status()).agents.find((a) => a.name === 'skewed');
      expect(view?.state).toBe('untrusted');
      expect(view?.untrusted?.reason).toBe('clock-skew');
      expect(view?.untrusted?.detail).toMatch(/its clock is 1[12]\d s behind the studio's/);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});

describeWithRedis('an agent that cannot open the studio\'s job', () => {
  const cluster = useLabCluster('church-lableave-');

  it('leaves it in the queue for other agents (never failed), stops taking work, and says once that its secret differs', async () => {
    const stray = await startAgent({ redis: cluster.redis, secretFile: writeSecret(cluster.dir, 'wrong.secret', randomBytes(32).toString('hex')), name: 'stray', dataDir: join(cluster.dir, 'agent-stray'), cacheDir: cluster.dir });
    cluster.agents.push(stray);
    const keys = studioKeys(labSecret(cluster.secret));
    const redis = new Redis(cluster.redis.url);
    const queue = new Queue('church-encode', { connection: redis });
    try {
      // A job as the studio makes one (signed with its key, sealed for the lab), before any studio said which
      // key it has: the stray agent picks it and cannot open it.
      const body: LabJobBody = { studioJobId: 1, attempt: 1, args: ['-i', SOURCE_TOKEN(0), '-f', 'mp4', OUTPUT_TOKEN], fallbackArgs: null, encoder: null, sources: [{ path: '/nowhere/a.mp4', url: 'http://127.0.0.1:9/lab/source/x' }], outputUrl: 'http://127.0.0.1:9/lab/output/y', outExt: '.mp4', durationSec: 1, bullId: 'studio-1-a1', expiresAt: Date.now() + 600_000 };
      await queue.add('encode', sealPayload(keys.seal, 'studio-1-a1', signMessage(keys.signer, body)), { jobId: 'studio-1-a1', attempts: 1 });
      await waitFor('the stray agent to say its secret differs', () => /lab secret differs from the studio's/.test(stray.stderr()), 60_000);
      const job = (await queue.getJob('studio-1-a1'))!;
      expect(await job.getState()).toBe('waiting');
      // Two more heartbeats: it stays out of the queue, and says nothing more.
      const beat = () => redis.get('church:lab:agent:stray');
      for (let i = 0; i < 2; i++) {
        const before = await beat();
        await waitFor('a heartbeat of the stray agent', async () => (await beat()) !== before);
      }
      expect(await job.getState()).toBe('waiting');
      expect((await queue.getJobCounts('failed')).failed).toBe(0);
      expect(stray.stderr().match(/lab secret differs/g)).toHaveLength(1);
      await job.remove();
    } finally {
      await queue.close();
      redis.disconnect();
    }
  }, 180_000);
});
