import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import { ffmpegsUnder } from '../helpers/chunks';
import { studioWithMinuteClip, useLabCluster } from '../helpers/lab';
import { describeWithRedis } from '../helpers/redis';
import { waitFor } from '../helpers/waitFor';

// A lab encode's end as the owner reads it, and a cancel that must hold: soak finding 4 (an agent's ffmpeg killed
// read as a bad source) and the cancel given up on while the agent was dead (its restart encoded the job anyway).
describeWithRedis('a lab job whose agent or its ffmpeg is killed', () => {
  const lab = useLabCluster('church-lab-cancel-kill-');
  let slow = '';
  let videoId = 0;

  beforeAll(async () => {
    ({ slow, videoId } = await studioWithMinuteClip(lab));
  }, 180_000);

  const params = { remuxWhenCompliant: false, x264Preset: 'ultrafast' };

  async function runningOn(host: string): Promise<Job> {
    const job = await lab.studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params });
    await waitFor(`job ${job.id} to make progress on ${host}`, async () => {
      const j = await lab.studio.job(job.id);
      if (isFinishedJobStatus(j.status)) throw new Error(`job ${job.id} ended (${j.status}) too early`);
      return j.progress?.host === host && (j.progress.outTimeSec ?? 0) > 0;
    });
    return job;
  }

  it('its ffmpeg killed on the agent reads as the local kill, not as a bad source', async () => {
    const agent = await lab.startAgent('alpha', { ffmpeg: slow });
    const workRoot = join(lab.dir, 'agent-alpha', 'lab-work');
    try {
      const job = await runningOn('alpha');
      const pids = ffmpegsUnder(workRoot);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      const ended = await waitFor(`job ${job.id} to fail`, async () => {
        const j = await lab.studio.job(job.id);
        return isFinishedJobStatus(j.status) ? j : null;
      });
      expect(ended).toMatchObject({ status: 'failed', error: 'ffmpeg was killed (SIGKILL) by something outside the studio; retry the job' });
    } finally {
      // Gone before the next test, whatever happened: its job must go to the agent that test starts.
      await agent.stop();
    }
  }, 180_000);

  it('cancelled while its agent is dead: the restarted agent does not encode it', async () => {
    const agent = await lab.startAgent('beta', { ffmpeg: slow });
    const workRoot = join(lab.dir, 'agent-beta', 'lab-work');
    const job = await runningOn('beta');
    // The agent and its ffmpeg gone at once (an unplugged host): nobody hears the cancel.
    await agent.killHard();
    expect(await lab.studio.call<Job>('jobs.cancel', { id: job.id })).toMatchObject({ status: 'cancelled' });
    const again = await lab.startAgent('beta', { ffmpeg: slow });
    // BullMQ hands the dead agent's job to the restarted one once its lock lapses; the agent must refuse it.
    await waitFor('the restarted agent to skip the cancelled job', () => new RegExp(`skipped job studio-${job.id}-\\S+: the studio cancelled it`).test(again.stderr()), 90_000);
    expect(ffmpegsUnder(workRoot)).toEqual([]);
    expect(await lab.studio.job(job.id)).toMatchObject({ status: 'cancelled' });
  }, 240_000);
});
