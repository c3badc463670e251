import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobProgress } from '../shared/dto/jobs';
import type { KillPlan } from '../shared/dto/killswitch';
import { resolveBinary } from '../electron/platform/media';
import { runProcess } from '../electron/platform/process';
import { makeClip } from '../tests/helpers/media';
import { TestRedis } from '../tests/helpers/redis';
import { startAgent, startStudio, writeSecret, writeWrappers, type AgentProc, type Studio } from '../tests/helpers/lab';
import { waitFor } from '../tests/helpers/waitFor';
import { interleavedPairs, median, pairedRatio, percentile, round, rounds } from './measure';
import { writeBenchResult } from './write-result';

const round1 = (n: number) => round(n, 1);
/** The wall clock, as the studio's and agents' trace lines read it (and the job's createdAt). */
const wallNow = () => Date.now();

function ffmpegsUnder(prefix: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(prefix)) pids.push(Number(pid));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Still running: a zombie has ended (its parent has not reaped it yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

interface TraceLine {
  at: number;
  pid: number;
  stage: string;
  bullId?: string;
  runId?: string;
}

function readTrace(file: string): TraceLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceLine);
}

/** Medians of each stage's share, from per-sample stage times (ms after the sample's start; missing stages skipped). */
function breakdown(samples: Record<string, number>[], stages: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 1; i < stages.length; i++) {
    const d = samples.filter((s) => s[stages[i]!] !== undefined && s[stages[i - 1]!] !== undefined).map((s) => s[stages[i]!]! - s[stages[i - 1]!]!);
    if (d.length) out[`${stages[i - 1]} → ${stages[i]}`] = round1(median(d));
  }
  return out;
}

/**
 * Where a lab job's slot goes besides encoding, from the trace: per agent, the time from one ffmpeg's exit to the
 * next one's spawn (upload, the studio hearing of it, dispatching the next; the output's check runs alongside).
 */
function turnaround(trace: TraceLine[]): Record<string, number | null> {
  // A short (--quick) batch may give an agent no second job: no gap to measure then.
  const med = (xs: number[]): number | null => (xs.length ? round1(median(xs)) : null);
  const at = (stage: string, bullId: string) => trace.find((t) => t.stage === stage && t.bullId === bullId)?.at;
  const jobs = [...new Set(trace.filter((t) => t.stage === 'agent.spawned').map((t) => t.bullId!))].map((bullId) => ({
    agent: trace.find((t) => t.stage === 'agent.spawned' && t.bullId === bullId)!.pid,
    spawned: at('agent.spawned', bullId)!,
    exited: at('agent.ffmpegExited', bullId),
    uploaded: at('agent.uploaded', bullId),
    completed: at('studio.completed', bullId),
  })).filter((j) => j.exited !== undefined && j.uploaded !== undefined && j.completed !== undefined);
  const gaps: { upload: number; report: number; next: number }[] = [];
  for (const j of jobs) {
    const next = jobs.filter((k) => k.agent === j.agent && k.spawned > j.exited!).sort((a, b) => a.spawned - b.spawned)[0];
    if (next) gaps.push({ upload: j.uploaded! - j.exited!, report: j.completed! - j.uploaded!, next: next.spawned - j.completed! });
  }
  return {
    encode: med(jobs.map((j) => j.exited! - j.spawned)),
    'ffmpeg exit → output uploaded': med(gaps.map((g) => g.upload)),
    'uploaded → the studio hears of it': med(gaps.map((g) => g.report)),
    // The slot is handed on as the studio hears of the upload; checking and registering the output run alongside.
    'the studio hears of it → the next spawn on that agent': med(gaps.map((g) => g.next)),
  };
}

/** 8 jobs queued at once; the time from the first enqueue to the last job's end as the studio recorded it. */
async function batch(studio: Studio, videoId: number, n: number): Promise<{ ms: number; args: string[] }> {
  const t0 = wallNow();
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'veryfast', crf: 23 } })).id);
  const done: Job[] = [];
  for (const id of ids) {
    const j = await waitFor(`job ${id}`, async () => {
      const x = await studio.job(id);
      return ['done', 'failed', 'cancelled'].includes(x.status) ? x : null;
    }, 600_000);
    if (j.status !== 'done') throw new Error(`job ${id} ${j.status}: ${j.error}`);
    done.push(j);
  }
  // finishedAt, not when this loop noticed: its polling would add up to 150 ms to either side.
  return { ms: Math.max(...done.map((j) => Date.parse(j.finishedAt!))) - t0, args: done[0]!.args };
}

/**
 * What this machine's cores give ffmpeg alone, no studio: the same encode (the studio's own arguments), n runs on
 * core 0 one after another, or split across lanes pinned to cores 0 and 1. Two cores of a VM can share caches or
 * be one core's two threads, so two encodes side by side need not run twice as fast as one; this is the ceiling
 * any lab on two of these cores can reach.
 */
async function bareFfmpeg(ffmpeg: string, args: readonly string[], dir: string, lanes: number, n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: lanes }, async (_, core) => {
    const laneArgs = [...args.slice(0, -1), join(dir, `bare-${core}.mp4`)];
    for (let i = 0; i < n / lanes; i++) {
      const r = await runProcess('taskset', ['-c', String(core), ffmpeg, ...laneArgs], { timeoutMs: 600_000 });
      if (r.code !== 0) throw new Error(`bare ffmpeg failed: ${r.stderr.slice(-400)}`);
    }
  }));
  return performance.now() - t0;
}

/**
 * The lab's three figures, measured side by side in one run: throughput of 8 short transcodes on 2 agents each
 * pinned to one core ÷ the local engine pinned to one core; dispatch (enqueue → the agent starts ffmpeg) p95;
 * lab kill (trigger → every agent's ffmpeg gone, 3 agents). The studio and the agents write trace lines
 * (CHURCH_LAB_TRACE) that time ffmpeg's spawn exactly and say where the milliseconds of both paths go.
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'church-bench-lab-'));
  const traceFile = join(dir, 'lab-trace.jsonl');
  process.env.CHURCH_LAB_TRACE = traceFile;
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
    // By file name: an import of two paths does not promise their ids in the order given.
    const labItems = (await lab.call<{ items: { id: number; fileName: string }[] }>('library.search', {})).items;
    const labClipId = labItems.find((i) => i.fileName === 'clip.avi')!.id;
    const labLongId = labItems.find((i) => i.fileName === 'long.avi')!.id;
    for (const [i, name] of ['p0', 'p1'].entries()) agents.push(await startAgent({ redis, secretFile: secret, name, dataDir: join(dir, `agent-${name}`), cacheDir: dir, cpu: i }));

    // Throughput: local ÷ lab and bare ffmpeg on one core ÷ on two, each the median of interleaved pairs
    // (bench/measure.ts), the two comparisons alternating round by round so both see the same machine load.
    const ffmpeg = resolveBinary('ffmpeg').path;
    if (!ffmpeg) throw new Error('ffmpeg was not found; install it or set FFMPEG_PATH');
    const n = rounds(3, 1);
    const jobsPerBatch = rounds(8, 2);
    let args: string[] = [];
    const localMs: number[] = [];
    const labMs: number[] = [];
    const bareOneMs: number[] = [];
    const bareTwoMs: number[] = [];
    for (let r = 0; r < n; r++) {
      const pair = await interleavedPairs(1, async () => {
        const l = await batch(local, 1, jobsPerBatch);
        // -progress pipe:1 writes to a pipe nobody reads here: dropped, it changes nothing of the encode.
        args = l.args.filter((a, i, all) => a !== '-progress' && all[i - 1] !== '-progress');
        return l.ms;
      }, async () => (await batch(lab, labClipId, jobsPerBatch)).ms, { offset: r });
      localMs.push(pair.a[0]!);
      labMs.push(pair.b[0]!);
      const bare = await interleavedPairs(1, () => bareFfmpeg(ffmpeg, args, dir, 1, jobsPerBatch), () => bareFfmpeg(ffmpeg, args, dir, 2, jobsPerBatch), { offset: r });
      bareOneMs.push(bare.a[0]!);
      bareTwoMs.push(bare.b[0]!);
    }
    const ratio = pairedRatio(localMs, labMs).ratio;
    const ceiling = pairedRatio(bareOneMs, bareTwoMs).ratio;
    const labSlotMs = turnaround(readTrace(traceFile));

    // Dispatch: the job queued (its row written, createdAt) → ffmpeg spawned on an agent (the agent's trace line,
    // written as spawn() returns, i.e. once ffmpeg was exec'd). Also: when the Jobs screen learns the host.
    const dispatched: { job: Job; seenAt: number }[] = [];
    for (let i = 0; i < rounds(12, 3); i++) {
      let seenAt = 0;
      let jobId = -1;
      const off = lab.client.on('jobs.progress', (p) => {
        const pr = p as JobProgress;
        if (pr.jobId === jobId && pr.host && !seenAt) seenAt = wallNow();
      });
      const job = await lab.call<Job>('jobs.enqueue', { videoId: labClipId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
      jobId = job.id;
      await waitFor('the agent start report', () => seenAt > 0, 60_000);
      off();
      dispatched.push({ job, seenAt });
      await waitFor('the job to end', async () => ['done', 'failed'].includes((await lab.job(job.id)).status), 120_000);
    }
    const dispatchStages = ['queued', 'studio.start', 'studio.added', 'agent.picked', 'agent.resolved', 'agent.spawned', 'studio.firstReport', 'screen'];
    const trace = readTrace(traceFile);
    const dispatchSamples = dispatched.map(({ job, seenAt }) => {
      const queued = Date.parse(job.createdAt);
      const sample: Record<string, number> = { queued: 0, screen: seenAt - queued };
      for (const stage of dispatchStages) {
        const line = trace.find((t) => t.stage === stage && t.bullId?.startsWith(`studio-${job.id}-a`));
        if (line) sample[stage] = line.at - queued;
      }
      if (sample['agent.spawned'] === undefined) throw new Error(`no spawn traced for job ${job.id}: is CHURCH_LAB_TRACE reaching the agents?`);
      return sample;
    });
    const dispatchMs = dispatchSamples.map((s) => s['agent.spawned']!);

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
    const killSamples: Record<string, number>[] = [];
    for (let r = 0; r < rounds(3, 1); r++) {
      const jobs = [];
      for (let i = 0; i < 3; i++) jobs.push(await lab.call<Job>('jobs.enqueue', { videoId: labLongId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } }));
      const running = await waitFor('three agent encodes', () => {
        const each = killDirs.map(ffmpegsUnder);
        return each.every((p) => p.length > 0) ? each.flat() : null;
      }, 120_000);
      // Only the known ffmpeg pids are watched (a /proc walk every 2 ms would take the CPU the agents need).
      const t0 = wallNow();
      const trigger = lab.call('killswitch.trigger', { dryRun: false, reason: 'bench' });
      while (running.some(alive)) await new Promise((res) => setTimeout(res, 2));
      const gone = wallNow() - t0;
      killMs.push(gone);
      await trigger;
      const lines = readTrace(traceFile).filter((t) => t.at >= t0 && t.at <= t0 + gone + 50);
      const last = (stage: string) => {
        const ats = lines.filter((t) => t.stage === stage).map((t) => t.at - t0);
        return ats.length ? Math.max(...ats) : undefined;
      };
      killSamples.push(Object.fromEntries(Object.entries({
        trigger: 0,
        'studio.stopLab': last('studio.stopLab'),
        'studio.broadcast': last('studio.broadcast'),
        'agent.killReceived (last agent)': last('agent.killReceived'),
        'agent.signalled (last agent)': last('agent.signalled'),
        'agent.ffmpegExited (last agent)': last('agent.ffmpegExited'),
        gone,
      }).filter((e): e is [string, number] => e[1] !== undefined)));
      for (const j of jobs) await lab.call('jobs.cancel', { id: j.id }).catch(() => undefined);
      for (const name of ['k1', 'k2', 'k3']) await lab.call('lab.pauseAgent', { name, paused: false });
      await waitFor('agents resumed', async () => (await lab.call<{ agents: { paused: boolean }[] }>('lab.status', {})).agents.every((a) => !a.paused), 30_000);
    }

    const killMedian = median(killMs);
    writeBenchResult('lab', {
      targets: [
        { name: `throughput, ${jobsPerBatch} transcodes: 2 agents on one core each ÷ local engine on one core (median of ${n} interleaved pairs)`, value: Math.round(ratio * 100) / 100, unit: '×', target: '≥ 1.8', met: ratio >= 1.8 },
        // The 1.8× assumes two cores encode twice as fast as one; 1.8 of 2.0 is 90 % of what the cores give.
        { name: `throughput as a share of what two of this machine's cores give bare ffmpeg (the same ${jobsPerBatch} encodes, no studio)`, value: Math.round((ratio / ceiling) * 100), unit: '%', target: '≥ 90', met: ratio / ceiling >= 0.9 },
        { name: 'dispatch: enqueue (job queued) → ffmpeg started on an agent, p95 of 12', value: round1(percentile(dispatchMs, 95)), unit: 'ms', target: '≤ 150', met: percentile(dispatchMs, 95) <= 150 },
        { name: 'lab kill: trigger → every agent\'s ffmpeg gone (3 agents), median of 3', value: round1(killMedian), unit: 'ms', target: '≤ 500', met: killMedian <= 500 },
      ],
      details: {
        localBatchMs: localMs.map(round1),
        labBatchMs: labMs.map(round1),
        // The ceiling: bare ffmpeg, 8 runs on core 0 ÷ 4 + 4 on cores 0 and 1 (by hand, a busy loop on both cores ran 2× one core; x264 does not).
        bareOneCoreMs: bareOneMs.map(round1),
        bareTwoCoresMs: bareTwoMs.map(round1),
        bareTwoCoreSpeedup: Math.round(ceiling * 100) / 100,
        // Medians over the 24 lab jobs: an agent's ffmpeg run, and its slot's time between one encode and the next.
        labSlotMs,
        dispatchMs: dispatchMs.map(round1),
        dispatchMedianMs: round1(median(dispatchMs)),
        // ms between consecutive stages, median of the 12; studio.added (BullMQ's add answered) may come after
        // agent.picked, and everything after agent.spawned is the way back to the Jobs screen, outside the target.
        dispatchStagesMedianMs: breakdown(dispatchSamples, dispatchStages),
        jobsScreenSeesHostMs: dispatchSamples.map((s) => round1(s.screen!)),
        killMs: killMs.map(round1),
        // ms after the trigger call, per run: the studio's step, its broadcast, the last agent to receive it, to
        // signal its ffmpeg, to see it exit, and the bench seeing every ffmpeg gone.
        killStagesMs: killSamples.map((k) => Object.fromEntries(Object.entries(k).map(([n, v]) => [n, round1(v)]))),
      },
    });
  } finally {
    delete process.env.CHURCH_LAB_TRACE;
    for (const a of agents) await a.stop().catch(() => undefined);
    for (const s of studios) await s.stop().catch(() => undefined);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
