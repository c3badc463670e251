import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KillPlan, KillRun } from '../../shared/dto/killswitch';
import { killPlanSchema } from '../../shared/contract/killswitch';
import { openDatabase } from '../../electron/platform/db';
import { JobStore, stopTargets } from '../../electron/domains/jobs';
import { executePlan } from '../../electron/domains/killswitch';
import { tempDir } from '../helpers/tempDir';

const plan = (steps: unknown[]): KillPlan => killPlanSchema.parse({ version: 1, steps }) as KillPlan;

function newRun(): KillRun {
  return { id: 1, trigger: 'cli', dryRun: true, reason: null, platform: 'linux', startedAt: new Date().toISOString(), finishedAt: null, status: 'running', steps: [], acknowledged: true };
}

function jobStore(): JobStore {
  return new JobStore(openDatabase(join(tempDir('church-rehearsal-'), 'studio.sqlite')));
}

function addJob(store: JobStore, preset: string) {
  return store.insert({ videoId: 4, extraVideoIds: [], preset, kind: 'web', priority: 0, params: {}, inputPath: '/in.mp4', outDir: '/out', outputPath: '/out/x.mp4', plan: null });
}

describe('a rehearsal names its targets', () => {
  it('stopTargets lists running jobs with their ffmpeg PID, then queued ones, from the jobs table', () => {
    const store = jobStore();
    const running = addJob(store, 'web-720');
    const queued = addJob(store, 'hls');
    store.transition(running.id, 'running', { startedAt: new Date().toISOString(), pid: 5120 });
    expect(stopTargets(store)).toEqual([`running job #${running.id} (web-720 of video #4), ffmpeg PID 5120`, `queued job #${queued.id} (hls of video #4)`]);
  });

  it('every rehearsed step reads "Would <verb>: targets" or "Would <verb>: nothing (why)", and nothing runs', async () => {
    let stopped = 0;
    const run = await executePlan(
      plan([{ kind: 'stop-jobs' }, { kind: 'network-down', interfaces: ['lab0'] }, { kind: 'lock-volumes' }, { kind: 'power-off' }]),
      newRun(),
      {
        platform: 'linux',
        env: { PATH: tempDir('church-empty-path-') },
        stopJobs: async () => {
          stopped++;
          return { stopped: 1 };
        },
        jobTargets: () => ['running job #4 (web of video #1), ffmpeg PID 77'],
        sendAlert: async () => 'sent',
        onUpdate: () => undefined,
        beforePowerOff: () => undefined,
      },
    );
    expect(stopped).toBe(0);
    expect(run.steps.map((s) => [s.status, s.note, s.targets])).toEqual([
      ['dry-run', 'Would stop: running job #4 (web of video #1), ffmpeg PID 77', ['running job #4 (web of video #1), ffmpeg PID 77']],
      ['dry-run', 'Would bring down: interface lab0', ['interface lab0']],
      ['dry-run', 'Would lock: nothing (no volumes are named in the plan)', []],
      ['dry-run', 'Would power off: this machine', ['this machine']],
    ]);
  });
});
