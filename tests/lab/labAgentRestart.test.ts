import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import { processEnded } from '../../electron/platform/process/orphans';
import { pidAlive } from '../../electron/platform/process/pidAlive';
import { studioWithMinuteClip, useLabCluster } from '../helpers/lab';
import { describeWithRedis } from '../helpers/redis';
import { waitFor } from '../helpers/waitFor';

/** Alive and not a zombie (a zombie runs nothing; only its parent's reaping is pending). */
const running = (pid: number): boolean => !processEnded(pid);

/** Processes whose command line names a file under the folder (an agent's ffmpeg writes its temp output there). */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`${dir}/`);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(running);
}

// Issue 27, item 3: an agent's ffmpeg ran on for 10–20 s (PPID 1) after a kill -9 of the agent.
describeWithRedis('a lab agent killed with kill -9', () => {
  const lab = useLabCluster('church-lab-restart-');
  let slow = '';
  let videoId = 0;
  const leftovers: number[] = [];

  beforeAll(async () => {
    ({ slow, videoId } = await studioWithMinuteClip(lab));
  }, 180_000);

  afterAll(() => {
    // Only when the test failed: what the old agent left running.
    for (const pid of leftovers) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('leaves no ffmpeg of its own running, and its restart finds a clean work folder', async () => {
    const agent = await lab.startAgent('solo', { ffmpeg: slow });
    const workRoot = join(lab.dir, 'agent-solo', 'lab-work');
    const job = await lab.studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    await waitFor(`job ${job.id} to make progress on the agent`, async () => {
      const j = await lab.studio.job(job.id);
      if (isFinishedJobStatus(j.status)) throw new Error(`job ${job.id} ended (${j.status}) before the agent could be killed`);
      return j.progress?.host === 'solo' && (j.progress.outTimeSec ?? 0) > 0;
    });
    const ffmpegs = processesUnder(workRoot);
    expect(ffmpegs.length).toBeGreaterThan(0);
    leftovers.push(...ffmpegs);
    // Something the killed run left in its folder besides its output.
    const jobDir = readdirSync(workRoot).map((d) => join(workRoot, d))[0]!;
    writeFileSync(join(jobDir, 'left-by-the-killed-agent'), 'x');

    // kill -9 of the agent alone (not its process group): what an OOM kill or a crash does.
    const exited = new Promise((resolve) => agent.child.once('exit', resolve));
    process.kill(agent.child.pid!, 'SIGKILL');
    await exited;

    const again = await lab.startAgent('solo', { ffmpeg: slow });
    // By the time the restarted agent is ready, none of the old agent's ffmpeg runs any more.
    expect(ffmpegs.filter(running)).toEqual([]);
    expect(existsSync(join(jobDir, 'left-by-the-killed-agent'))).toBe(false);

    // Stopped in turn (SIGTERM), the restarted agent stops whatever it took up again: nothing is left encoding.
    await again.stop();
    await waitFor('no ffmpeg left in the work folder', () => processesUnder(workRoot).length === 0, 15_000);
    await lab.studio.call('jobs.cancel', { id: job.id }).catch(() => undefined);
  }, 300_000);
});
