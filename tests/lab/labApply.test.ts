import { chmodSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Job } from '../../shared/dto/jobs';
import type { LabSettings, LabSettingsView } from '../../shared/dto/lab';
import type { VideoDetail } from '../../shared/dto/library';
import type { RecoveryState } from '../../shared/dto/recovery';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster, writeSecret, writeWrappers, type Studio } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

// Settings → Lab → Apply now, in a real `church serve` with a real Redis, a real agent and real ffmpeg: the lab
// turns on and off without restarting the studio, and a job that was encoding when it did is not lost.

describeWithRedis('applying the Lab settings without a restart', () => {
  const cluster = useLabCluster('church-labapply-');
  const { dir } = cluster;
  let studio: Studio;
  let shortId = 0;
  let longId = 0;

  beforeAll(async () => {
    const wrappers = writeWrappers(dir);
    mkdirSync(join(dir, 'media'));
    await makeClip(join(dir, 'media', 'short.avi'), { seconds: 1, vcodec: 'mpeg4', audio: false });
    // Long enough that its real-time local encode is still running at the apply on any machine (it is stopped there).
    await makeClip(join(dir, 'media', 'long.avi'), { seconds: 120, vcodec: 'mpeg4', audio: false, width: 160, height: 120 });
    // No lab in the environment: only Settings can turn it on. The studio's own ffmpeg encodes in real time, so a
    // local job is still running when the settings are applied; the agent's is the real one.
    studio = await cluster.startStudio({
      lab: false,
      env: { FFMPEG_PATH: wrappers.slow, CHURCH_LAB_LISTEN: '127.0.0.1:0', CHURCH_LAB_ADVERTISE: '127.0.0.1', CHURCH_LAB_OFFLINE_MS: '4000' },
    });
    await studio.call('library.import', { paths: [join(dir, 'media', 'short.avi'), join(dir, 'media', 'long.avi')], assets: false });
    const items = (await studio.call<{ items: { id: number; fileName: string }[] }>('library.search', {})).items;
    shortId = items.find((i) => i.fileName === 'short.avi')!.id;
    longId = items.find((i) => i.fileName === 'long.avi')!.id;
  }, 120_000);

  const enqueue = (videoId: number) => studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
  const finished = (id: number) => waitFor(`job ${id} to end`, async () => {
    const j = await studio.job(id);
    return ['done', 'failed', 'cancelled'].includes(j.status) ? j : null;
  }, 120_000);
  const outputsOf = async (videoId: number, jobId: number) => (await studio.call<VideoDetail>('library.get', { id: videoId })).outputs.filter((o) => o.jobId === jobId);

  it('refuses to apply a lab that cannot be used or reached, and changes nothing', async () => {
    const states: RecoveryState['state'][] = [];
    const off = studio.client.on('recovery.progress', (s) => states.push((s as RecoveryState).state));
    const view = await studio.call<LabSettingsView>('lab.getSettings', {});
    // A port nothing listens on: the connection is refused, an answer at once.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    await studio.call('lab.setSettings', { settings: { ...view.settings, enabled: true, redisUrl: `redis://127.0.0.1:${port}`, secretFile: cluster.secret } });
    await expect(studio.call('lab.apply', {})).rejects.toThrow(new RegExp(`UNAVAILABLE the lab's Redis at 127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED\\); check the Redis URL in Settings → Lab`));
    // A secret file other users can read: named, refused.
    const open = writeSecret(dir, 'open.secret');
    chmodSync(open, 0o644);
    await studio.call('lab.setSettings', { settings: { ...view.settings, enabled: true, redisUrl: cluster.redis.url, secretFile: open } });
    await expect(studio.call('lab.apply', {})).rejects.toThrow(/INVALID_INPUT the lab in these settings cannot be used: the lab secret file .*open\.secret can be read by other users; run "chmod 600/);
    off();
    expect(states).toEqual([]);
    const after = await studio.call<LabSettingsView>('lab.getSettings', {});
    expect(after.source).toBe('off');
    expect(after.restartNeeded).toBe(true);
    expect((await studio.call<RecoveryState>('recovery.status', {})).state).toBe('ready');
  }, 60_000);

  it('turns the lab on in the running studio: an encoding job stops, is queued again and finishes once on the agent', async () => {
    const view = await studio.call<LabSettingsView>('lab.getSettings', {});
    const settings: LabSettings = { ...view.settings, enabled: true, redisUrl: cluster.redis.url, secretFile: cluster.secret };
    const saved = await studio.call<LabSettingsView>('lab.setSettings', { settings });
    expect(saved.source).toBe('off');
    expect(saved.restartNeeded).toBe(true);
    await cluster.startAgent('alpha');

    // The lab is not on yet: this job encodes here, in real time.
    const job = await enqueue(longId);
    await waitFor('the local encode to be under way', async () => {
      const j = await studio.job(job.id);
      return j.status === 'running' && (j.progress?.outTimeSec ?? 0) > 0 ? j : null;
    }, 60_000);
    expect((await studio.job(job.id)).host).toBeUndefined();

    const states: RecoveryState['state'][] = [];
    const off = studio.client.on('recovery.progress', (s) => states.push((s as RecoveryState).state));
    const applied = await studio.call<LabSettingsView>('lab.apply', {});
    off();
    expect(applied.source).toBe('settings');
    expect(applied.restartNeeded).toBe(false);
    expect(applied.activeUrl).toContain('127.0.0.1');
    // The screens were told the studio was busy, then running again (one connection: in order).
    expect(states[0]).toBe('working');
    expect(states.at(-1)).toBe('ready');
    expect((await studio.call<RecoveryState>('recovery.status', {})).state).toBe('ready');

    const done = await finished(job.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.host).toBe('alpha');
    expect(await outputsOf(longId, job.id)).toHaveLength(1);
  }, 180_000);

  it('turns it off again: jobs run in the studio, and a second apply with nothing changed is harmless', async () => {
    const view = await studio.call<LabSettingsView>('lab.getSettings', {});
    const saved = await studio.call<LabSettingsView>('lab.setSettings', { settings: { ...view.settings, enabled: false } });
    expect(saved.restartNeeded).toBe(true);
    const applied = await studio.call<LabSettingsView>('lab.apply', {});
    expect(applied.source).toBe('off');
    expect(applied.activeUrl).toBeNull();
    expect(applied.restartNeeded).toBe(false);
    expect((await studio.call<LabSettingsView>('lab.apply', {})).source).toBe('off');

    const job = await enqueue(shortId);
    const done = await finished(job.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.host).toBeUndefined();
    expect(await outputsOf(shortId, job.id)).toHaveLength(1);
    // The library came through both reopenings whole.
    expect((await studio.call<{ total: number }>('library.search', {})).total).toBe(2);
  }, 180_000);
});
