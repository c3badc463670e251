import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobProgress } from '../shared/dto/jobs';
import type { KillPlan } from '../shared/dto/killswitch';
import { makeClip } from '../tests/helpers/media';
import { TestRedis } from '../tests/helpers/redis';
import { startAgent, startStudio, waitFor, writeSecret, writeWrappers, type AgentProc, type Studio } from '../tests/lab/labFixture';
import { writeBenchResult } from './write-result';

const round1 = (n: number) => Math.round(n * 10) / 10;
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function ffmpegsUnder(prefix: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(prefix)) n++;
    } catch {
      // gone
    }
  }
  return n;
}

async function batch(studio: Studio, videoId: number, n: number): Promise<number> {
  const t0 = performance.now();
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'veryfast', crf: 23 } })).id);
  for (const id of ids) {
    const j = await waitFor(`job ${id}`, async () => {
      const x = await studio.job(id);
      return ['done', 'failed', 'cancelled'].includes(x.status) ? x : null;
    }, 600_000);
    if (j.status !== 'done') throw new Error(`job ${id} ${j.status}: ${j.error}`);
  }
  return performance.now() - t0;
}

/**
 * The lab's three figures, measured side by side in one run: throughput of 8 short transcodes on 2 agents each
 * pinned to one core ÷ the local engine pinned to one core; dispatch (enqueue → the agent starts ffmpeg) p95;
 * lab kill (trigger → every agent's ffmpeg gone, 3 agents).
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'church-bench-lab-'));
  const agents: AgentProc[] = [];
  const studios: Studio[] = [];
  const redis = await TestRedis.start(dir);
  try {
    const secret = writeSecret(dir);
    const wrappers = writeWrappers(dir);
    mkdirSync(join(dir, 'media'));
    const clip = await makeClip(join(dir, 'media', 'clip.avi'), { seconds: 4, width: 640, height: 360, vcodec: 'mpeg4', audio: false });
    const long = await makeClip(join(dir, 'media', 'long.avi'), { seconds: 120, width: 160, height: 120, vcodec: 'mpeg4', audio: false });

    // Local: a studio without a lab, one worker, pinned to core 0.
    const local = await startStudio(join(dir, 'local'), null, secret, { cpu: 0 });
    studios.push(local);
    await local.call('library.import', { paths: [clip], assets: false });
    await local.call('jobs.setSettings', { concurrency: 1 });

    const labDir = join(dir, 'lab');
    mkdirSync(labDir, { recursive: true });
    writeFileSync(join(labDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'stop-lab', enabled: true, timeoutMs: 20_000, continueOnFailure: true }] } satisfies KillPlan));
    const lab = await startStudio(labDir, redis, secret);
    studios.push(lab);
    await lab.call('library.import', { paths: [clip, long], assets: false });
    for (const [i, name] of ['p0', 'p1'].entries()) agents.push(await startAgent({ redis, secretFile: secret, name, dataDir: join(dir, `agent-${name}`), cacheDir: dir, cpu: i }));

    // Throughput, alternating local and lab rounds so both see the same machine load.
    const localMs: number[] = [];
    const labMs: number[] = [];
    for (let r = 0; r < 2; r++) {
      localMs.push(await batch(local, 1, 8));
      labMs.push(await batch(lab, 1, 8));
    }
    const ratio = localMs.reduce((a, b) => a + b) / labMs.reduce((a, b) => a + b);

    // Dispatch: enqueue answered → the agent's first report, which it sends as it spawns ffmpeg.
    const dispatchMs: number[] = [];
    for (let i = 0; i < 12; i++) {
      let started = 0;
      let jobId = -1;
      const off = lab.client.on('jobs.progress', (p) => {
        const pr = p as JobProgress;
        if (pr.jobId === jobId && pr.host && !started) started = performance.now();
      });
      const job = await lab.call<Job>('jobs.enqueue', { videoId: 1, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
      jobId = job.id;
      const tq = performance.now();
      await waitFor('the agent start report', () => started > 0, 60_000);
      off();
      dispatchMs.push(started - tq);
      await waitFor('the job to end', async () => ['done', 'failed'].includes((await lab.job(job.id)).status), 120_000);
    }

    // Lab kill: 3 agents each encoding the long clip; trigger → none of their ffmpeg left (from /proc).
    for (const a of agents.splice(0)) await a.stop();
    const killDirs: string[] = [];
    for (const name of ['k1', 'k2', 'k3']) {
      const dataDir = join(dir, `agent-${name}`);
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'stop-jobs', enabled: true, timeoutMs: 5000, continueOnFailure: true }] }));
      killDirs.push(join(dataDir, 'lab-work'));
      agents.push(await startAgent({ redis, secretFile: secret, name, dataDir, ffmpeg: wrappers.slow, cacheDir: dir }));
    }
    const killMs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const jobs = [];
      for (let i = 0; i < 3; i++) jobs.push(await lab.call<Job>('jobs.enqueue', { videoId: 2, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } }));
      await waitFor('three agent encodes', () => killDirs.every((d) => ffmpegsUnder(d) > 0), 120_000);
      const t0 = performance.now();
      const trigger = lab.call('killswitch.trigger', { dryRun: false, reason: 'bench' });
      while (killDirs.some((d) => ffmpegsUnder(d) > 0)) await new Promise((res) => setTimeout(res, 2));
      killMs.push(performance.now() - t0);
      await trigger;
      for (const j of jobs) await lab.call('jobs.cancel', { id: j.id }).catch(() => undefined);
      for (const name of ['k1', 'k2', 'k3']) await lab.call('lab.pauseAgent', { name, paused: false });
      await waitFor('agents resumed', async () => (await lab.call<{ agents: { paused: boolean }[] }>('lab.status', {})).agents.every((a) => !a.paused), 30_000);
    }

    const killMedian = [...killMs].sort((a, b) => a - b)[1]!;
    writeBenchResult('lab', {
      targets: [
        { name: 'throughput, 8 transcodes: 2 agents on one core each ÷ local engine on one core', value: Math.round(ratio * 100) / 100, unit: '×', target: '≥ 1.8', met: ratio >= 1.8 },
        { name: 'dispatch: enqueue → ffmpeg started on an agent, p95', value: round1(percentile(dispatchMs, 95)), unit: 'ms', target: '≤ 150', met: percentile(dispatchMs, 95) <= 150 },
        { name: 'lab kill: trigger → every agent\'s ffmpeg gone (3 agents), median of 3', value: round1(killMedian), unit: 'ms', target: '≤ 500', met: killMedian <= 500 },
      ],
      details: { localBatchMs: localMs.map(round1), labBatchMs: labMs.map(round1), dispatchMs: dispatchMs.map(round1), killMs: killMs.map(round1) },
    });
  } finally {
    for (const a of agents) await a.stop().catch(() => undefined);
    for (const s of studios) await s.stop().catch(() => undefined);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
