import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/host/createHost';
import type { Job } from '../../shared/dto/jobs';
import type { KillRun } from '../../shared/dto/killswitch';
import { busyStudio, ffmpegChildren, startSlowJobs } from '../helpers/busyStudio';
import { nextTurns } from '../helpers/waitFor';

describe('kill switch stops real ffmpeg jobs', () => {
  let host: Host;
  let videoId: number;
  beforeAll(async () => {
    ({ host, videoId } = await busyStudio());
  });
  afterAll(() => host?.close());

  it('kills every running transcode, cancels the queued ones and leaves no half-written output', async () => {
    const running = await startSlowJobs(host, videoId, 4);
    // One more that waits behind the four (concurrency 4): it must be cancelled, not started later.
    const waiting = await host.dispatch('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false } }, { actor: 'cli' });
    expect(waiting.ok).toBe(true);

    const r = await host.dispatch('killswitch.trigger', { dryRun: false, reason: 'test', plan: { version: 1, steps: [{ kind: 'stop-jobs', timeoutMs: 5000 }] } }, { actor: 'ui' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const run = (r as { value: KillRun }).value;
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ kind: 'stop-jobs', status: 'ok', note: '4 job(s) stopped' });
    // stopJobs resolves only when the processes are gone.
    expect(ffmpegChildren()).toEqual([]);

    const ids = [...running.map((j) => j.id), (waiting as { value: Job }).value.id];
    for (const id of ids) {
      const j = await host.dispatch('jobs.get', { id }, { actor: 'ui' });
      expect((j as { value: Job }).value).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/kill switch/) });
    }
    const outDir = dirname(running[0]!.outputPath);
    const left = existsSync(outDir) ? readdirSync(outDir) : [];
    expect(left, `left in ${outDir}`).toEqual([]);
    // Nothing starts afterwards: the queue holds no job that could.
    await nextTurns(); // the scheduler's pass after the stop (deferred with setImmediate)
    expect(ffmpegChildren()).toEqual([]);
  });
});
