import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import type { LabStatus } from '../../shared/dto/lab';
import { church } from '../helpers/cli';
import { useLabCluster, writeWrappers } from '../helpers/lab';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { waitFor } from '../helpers/waitFor';

// The lab with real parts (redis-server, `church serve`, `church agent` processes, real ffmpeg): an output made on
// an agent gets the same mode as a local one, and an agent killed mid-job is not shown running the job another
// agent finished.

describeWithRedis('what the lab shows after a job ends', () => {
  const lab = useLabCluster('church-lab-elsewhere-');
  let slowId = 0;
  let umaskBefore = 0;
  let slow = '';

  beforeAll(async () => {
    // The owner's umask, fixed for the studio and agents this block starts (children inherit it).
    umaskBefore = process.umask(0o022);
    slow = writeWrappers(lab.dir).slow;
    const media = join(lab.dir, 'media');
    mkdirSync(media);
    await makeClip(join(media, 'slow.avi'), { seconds: 20, vcodec: 'mpeg4', audio: false, width: 160, height: 120 });
    const studio = await lab.startStudio();
    await studio.call('library.import', { paths: [join(media, 'slow.avi')], assets: false });
    slowId = (await studio.call<{ items: { id: number }[] }>('library.search', {})).items[0]!.id;
  }, 120_000);
  afterAll(() => {
    process.umask(umaskBefore);
  });

  it('an agent killed mid-job shows offline with no running job once another agent finished it; the output is 0644 like a local one', async () => {
    const { studio } = lab;
    const first = await lab.startAgent('first', { ffmpeg: slow });
    const job = await studio.call<Job>('jobs.enqueue', { videoId: slowId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    await waitFor(`job ${job.id} to make progress on first`, async () => {
      const j = await studio.job(job.id);
      if (isFinishedJobStatus(j.status)) throw new Error(`job ${job.id} ended (${j.status}) before the agent was killed`);
      return j.progress?.host === 'first' && (j.progress.outTimeSec ?? 0) > 0 ? j : null;
    });
    await lab.startAgent('second');
    await first.killHard();
    lab.agents.splice(lab.agents.indexOf(first), 1);
    const done = await waitFor(`job ${job.id} to end`, async () => {
      const j = await studio.job(job.id);
      return isFinishedJobStatus(j.status) ? j : null;
    }, 180_000);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.host).toBe('second');
    // Uploaded by the agent, then renamed into place: the owner's umask decides, as for ffmpeg's own files here.
    expect(statSync(done.outputPath).mode & 0o777).toBe(0o644);
    const status = await waitFor('the killed agent to show offline', async () => {
      const s = await studio.call<LabStatus>('lab.status', {});
      return s.agents.find((a) => a.name === 'first')?.state === 'offline' ? s : null;
    }, 60_000, 250);
    expect(status.agents.find((a) => a.name === 'first')!.running).toEqual([]);
    expect(status.agents.find((a) => a.name === 'second')!.running).toEqual([]);
    // `church lab`, as the owner reads it.
    const shown = await church(['lab', '--data-dir', studio.dataDir]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/first +offline/);
    expect(shown.stdout).not.toMatch(/running job/);
  }, 300_000);
});
