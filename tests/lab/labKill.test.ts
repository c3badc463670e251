import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Job } from '../../shared/dto/jobs';
import type { KillRun } from '../../shared/dto/killswitch';
import { church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster, writeWrappers } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

// "Stop the lab": the studio's plan has the step, three real agents each run their OWN plan file (a stand-in
// command that leaves a marker; nothing here can power the machine off), and the report lists every host.

describeWithRedis('the lab kill switch', () => {
  const cluster = useLabCluster('church-labkill-');
  const { dir } = cluster;
  const marker = (name: string) => join(dir, `ran-${name}`);

  beforeAll(async () => {
    const wrappers = writeWrappers(dir);
    const studioDir = join(dir, 'studio');
    mkdirSync(studioDir, { recursive: true });
    writeFileSync(join(studioDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [
      { kind: 'stop-jobs', enabled: true, timeoutMs: 5000, continueOnFailure: true },
      { kind: 'stop-lab', enabled: true, timeoutMs: 30_000, continueOnFailure: true },
    ] }));
    const studio = await cluster.startStudio({ dataDir: studioDir });
    mkdirSync(join(dir, 'media'));
    const clip = await makeClip(join(dir, 'media', 'long.avi'), { seconds: 60, vcodec: 'mpeg4', audio: false, width: 160, height: 120 });
    await studio.call('library.import', { paths: [clip], assets: false });
    for (const name of ['k1', 'k2', 'k3']) {
      const dataDir = join(dir, `agent-${name}`);
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [
        { kind: 'stop-jobs', enabled: true, timeoutMs: 5000, continueOnFailure: true },
        { kind: 'command', label: `mark ${name}`, enabled: true, timeoutMs: 5000, continueOnFailure: true, argv: ['/usr/bin/touch', marker(name)] },
      ] }));
      await cluster.startAgent(name, { dataDir, ffmpeg: wrappers.slow });
    }
  }, 240_000);

  it('a dry run lists every agent\'s own planned steps under its host name and runs nothing', async () => {
    const dry = await church(['kill', '--dry-run', '--json', '--data-dir', cluster.studio.dataDir], { timeoutMs: 120_000 });
    expect(dry.code, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout) as KillRun;
    const lab = report.steps.find((s) => s.kind === 'stop-lab')!;
    expect(lab.status).toBe('dry-run');
    expect(lab.hosts!.map((h) => h.host).sort()).toEqual(['k1', 'k2', 'k3']);
    for (const h of lab.hosts!) {
      expect(h.status).toBe('dry-run');
      expect(h.steps.map((s) => s.kind)).toEqual(['stop-jobs', 'command']);
      expect(h.steps[1]!.commands[0]!.argv).toEqual(['/usr/bin/touch', marker(h.host)]);
    }
    expect(['k1', 'k2', 'k3'].filter((n) => existsSync(marker(n)))).toEqual([]);
  }, 180_000);

  it('a real run reaches every agent: each runs its own plan, its ffmpeg stops, and the report lists every host', async () => {
    const job = await cluster.studio.call<Job>('jobs.enqueue', { videoId: 1, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    const running = await waitFor('the job to run on an agent', async () => {
      const j = await cluster.studio.job(job.id);
      return j.progress?.host && (j.progress.outTimeSec ?? 0) > 0 ? j : null;
    });
    const r = await church(['kill', '--yes', '--json', '--reason', 'test', '--data-dir', cluster.studio.dataDir], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as KillRun;
    const lab = report.steps.find((s) => s.kind === 'stop-lab')!;
    expect(lab.status, lab.note).toBe('ok');
    expect(lab.hosts!.map((h) => h.host).sort()).toEqual(['k1', 'k2', 'k3']);
    for (const h of lab.hosts!) {
      expect(h.status).toBe('completed');
      expect(h.steps.map((s) => s.status)).toEqual(['ok', 'ok']);
    }
    expect(['k1', 'k2', 'k3'].filter((n) => existsSync(marker(n)))).toEqual(['k1', 'k2', 'k3']);
    const final = await waitFor('the job to end', async () => {
      const j = await cluster.studio.job(job.id);
      return ['cancelled', 'failed', 'done'].includes(j.status) ? j : null;
    });
    expect(final.status).toBe('cancelled');
    expect(running.progress?.host).toBeTruthy();
  }, 240_000);
});
