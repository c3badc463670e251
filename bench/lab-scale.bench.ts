import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { KillPlan } from '../shared/dto/killswitch';
import { findLiveInstance } from '../electron/host/instance';
import { resolveBinary } from '../electron/platform/media';
import { runProcess } from '../electron/platform/process';
import { makeClip } from '../tests/helpers/media';
import { TestRedis } from '../tests/helpers/redis';
import { startStudio, writeSecret, type AgentProc, type Studio } from '../tests/helpers/lab';
import { waitFor } from '../tests/helpers/waitFor';
import { load1m } from './load';
import { median, percentile, quickRun, round } from './measure';
import { enqueueMany, readTrace, startAgents, type TraceLine } from './labScale/cluster';
import { alive, cpuSeconds, freePort, InspectorHeap, linearFit, pidsWithArg, redisUsedMemory, type LinearFit } from './labScale/probes';
import { writeStandInFfmpeg } from './labScale/standInFfmpeg';
import { writeBenchResult, type BenchTarget } from './write-result';

const say = (line: string) => console.log(`[lab-scale] ${line}`);
const r1 = (n: number) => round(n, 1);
const MB = 1024 * 1024;

/** Full: the 50 agents and 10,000 jobs. --quick: a smaller lab that proves the bench runs end to end. */
const SIZE = quickRun()
  ? { agents: 8, jobs: 1000, jobSec: 2, windowSec: 15, parallelStarts: 4 }
  : { agents: 50, jobs: 10_000, jobSec: 4, windowSec: 60, parallelStarts: 6 };

interface MemPoint { phase: 'queue' | 'run'; x: number; heap: number; redis: number; at: number }

/** queued (studio.start: the engine hands the job to BullMQ) → agent.picked (an agent's worker has it), per job. */
function dispatchTimes(trace: TraceLine[], since: number): { all: number[]; steady: number[] } {
  const picked = new Map<string, number>();
  for (const t of trace) if (t.stage === 'agent.picked' && t.bullId && !picked.has(t.bullId)) picked.set(t.bullId, t.at);
  const all: number[] = [];
  const steady: number[] = [];
  for (const t of trace) {
    if (t.stage !== 'studio.start' || !t.bullId || t.at < since) continue;
    const p = picked.get(t.bullId);
    if (p === undefined) continue;
    all.push(p - t.at);
    // After the first burst (every agent idle at once): the lab's steady state, one slot freed at a time.
    if (t.at >= since + 5000) steady.push(p - t.at);
  }
  return { all, steady };
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A screen's request under load: its time, and a failure (a timeout inside the studio) counted, not fatal. */
async function timedOrFailed(fn: () => Promise<unknown>, failures: string[]): Promise<number> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    failures.push((e as Error).message.slice(0, 200));
  }
  return performance.now() - t0;
}

/** A real MP4 the stand-in copies as its output: the studio probes, renames and registers it as any output. */
async function outputTemplate(dir: string, clip: string): Promise<string> {
  const ffmpeg = resolveBinary('ffmpeg').path!;
  const out = join(dir, 'template.mp4');
  const r = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', out], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`could not make the output template: ${r.stderr}`);
  return out;
}

/** The window: the screens' requests timed one after another, memory sampled every fifth of it. */
async function runWindow(o: { studio: Studio; heap: InspectorHeap; redis: Redis; traceFile: string; mem: MemPoint[]; windowMs: number }): Promise<{ labMs: number[]; jobsMs: number[]; failures: string[] }> {
  const failures: string[] = [];
  const labMs: number[] = [];
  const jobsMs: number[] = [];
  const t0 = Date.now();
  const sampleEvery = o.windowMs / 5;
  let nextSample = t0 + sampleEvery;
  while (Date.now() - t0 < o.windowMs) {
    labMs.push(await timedOrFailed(() => o.studio.call('lab.status', {}), failures));
    jobsMs.push(await timedOrFailed(() => o.studio.call('jobs.list', { limit: 200 }), failures));
    if (Date.now() >= nextSample) {
      nextSample += sampleEvery;
      const done = readTrace(o.traceFile).filter((t) => t.stage === 'studio.completed').length;
      o.mem.push({ phase: 'run', x: done, heap: await o.heap.liveHeapBytes(), redis: await redisUsedMemory(o.redis), at: Date.now() });
      say(`${done} jobs done`);
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  return { labMs, jobsMs, failures };
}

/** The kill switch with every agent encoding: trigger → the last agent has the message, and → every stand-in gone. */
async function labKill(studio: Studio, dir: string, traceFile: string): Promise<{ reachedMs: number | null; reached: number; goneMs: number; running: number }> {
  const running = pidsWithArg(dir, '/lab-work/studio-');
  const t0 = Date.now();
  const trigger = studio.call('killswitch.trigger', { dryRun: false, reason: 'lab-scale bench' });
  await waitFor('every stand-in ffmpeg gone', () => !running.some(alive), 30_000, 2);
  const goneMs = Date.now() - t0;
  await trigger;
  const received = readTrace(traceFile).filter((t) => t.stage === 'agent.killReceived' && t.at >= t0);
  const reached = new Set(received.map((t) => t.pid)).size;
  return { reachedMs: received.length ? Math.max(...received.map((t) => t.at)) - t0 : null, reached, goneMs, running: running.length };
}

function memoryFits(mem: MemPoint[]): Record<'heapByQueued' | 'heapByDone' | 'redisByQueued' | 'redisByDone', LinearFit> {
  const fit = (phase: MemPoint['phase'], key: 'heap' | 'redis') => linearFit(mem.filter((m) => m.phase === phase).map((m) => ({ x: m.x, y: m[key] })));
  return { heapByQueued: fit('queue', 'heap'), heapByDone: fit('run', 'heap'), redisByQueued: fit('queue', 'redis'), redisByDone: fit('run', 'redis') };
}

/** Which target is closest to its limit (or past it): the first thing a bigger lab runs into. */
function firstLimit(targets: BenchTarget[], headroom: Record<string, number>): string {
  const missed = targets.find((t) => !t.met);
  if (missed) return `missed first: ${missed.name}`;
  const [name, used] = Object.entries(headroom).sort((a, b) => b[1] - a[1])[0]!;
  return `every target met; the closest to its limit: ${name} at ${Math.round(used * 100)} % of it`;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'church-bench-labscale-'));
  const traceFile = join(dir, 'lab-trace.jsonl');
  process.env.CHURCH_LAB_TRACE = traceFile;
  let agents: AgentProc[] = [];
  let studio: Studio | null = null;
  let heap: InspectorHeap | null = null;
  const redis = await TestRedis.start(dir);
  const rc = new Redis(redis.url);
  try {
    const secret = writeSecret(dir);
    mkdirSync(join(dir, 'media'));
    const clip = await makeClip(join(dir, 'media', 'clip.avi'), { seconds: 1, width: 160, height: 120, vcodec: 'mpeg4', audio: false });
    const standIn = writeStandInFfmpeg(dir, resolveBinary('ffmpeg').path!, await outputTemplate(dir, clip), SIZE.jobSec);

    const studioDir = join(dir, 'studio');
    mkdirSync(studioDir, { recursive: true });
    writeFileSync(join(studioDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'stop-lab', enabled: true, timeoutMs: 20_000, continueOnFailure: true }] } satisfies KillPlan));
    const inspectPort = await freePort();
    studio = await startStudio(studioDir, redis, secret, { env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${inspectPort}`.trim(), CHURCH_LAB_OFFLINE_MS: '15000' } });
    const studioPid = findLiveInstance(studioDir)!.pid;
    heap = await InspectorHeap.connect(inspectPort);
    await studio.call('library.import', { paths: [clip], assets: false });
    const videoId = (await studio.call<{ items: { id: number }[] }>('library.search', {})).items[0]!.id;

    // The queue first, held: its memory is sampled as it grows, and no agent competes with the enqueue.
    const mem: MemPoint[] = [];
    const sampleMem = async (phase: MemPoint['phase'], x: number) => mem.push({ phase, x, heap: await heap!.liveHeapBytes(), redis: await redisUsedMemory(rc), at: Date.now() });
    await studio.call('jobs.pause', {});
    await sampleMem('queue', 0);
    const queued = await enqueueMany(studio, videoId, SIZE.jobs, 8, SIZE.jobs / 5, async (n) => {
      await sampleMem('queue', n);
      say(`${n} jobs queued`);
    });
    const setupFailures: string[] = [];
    const idleLab = await timedOrFailed(() => studio!.call('lab.status', {}), setupFailures);
    const idleJobs = await timed(() => studio!.call('jobs.list', { limit: 200 }));

    const tAgents = performance.now();
    agents = await startAgents({ dir, redis, secret, ffmpeg: standIn, count: SIZE.agents, parallel: SIZE.parallelStarts, say });
    const agentsStartMs = performance.now() - tAgents;
    await waitFor(`${SIZE.agents} agents online`, async () => (await studio!.call<{ agents: { state: string }[] }>('lab.status', {}).catch(() => ({ agents: [] }))).agents.filter((a) => a.state === 'idle').length === SIZE.agents, 120_000, 500);

    const busyAgentsLab = await timedOrFailed(() => studio!.call('lab.status', {}), setupFailures);
    // What the agents cost the studio before any job: their heartbeats and signed samples, checked as they come.
    const idle0 = cpuSeconds(studioPid);
    const idleT0 = performance.now();
    await new Promise((res) => setTimeout(res, quickRun() ? 5000 : 10_000));
    const idleCores = (cpuSeconds(studioPid).self - idle0.self) / ((performance.now() - idleT0) / 1000);
    const cpu0 = cpuSeconds(studioPid);
    const since = Date.now();
    await heap.startProfile();
    await studio.call('jobs.resume', {});
    const window = await runWindow({ studio, heap, redis: rc, traceFile, mem, windowMs: SIZE.windowSec * 1000 });
    const cpu1 = cpuSeconds(studioPid);
    const profile = await heap.stopProfile();
    const wallSec = (Date.now() - since) / 1000;
    const trace = readTrace(traceFile);
    const done = trace.filter((t) => t.stage === 'studio.completed' && t.at >= since).length;
    const kill = await labKill(studio, dir, traceFile);
    const dispatch = dispatchTimes(trace, since);
    const fits = memoryFits(mem);

    const cores = (cpu1.self - cpu0.self) / wallSec;
    const coresWithChildren = (cpu1.self + cpu1.children - cpu0.self - cpu0.children) / wallSec;
    const p95 = (xs: number[]) => r1(percentile(xs, 95));
    const n = `${SIZE.agents} agents, ${SIZE.jobs} queued`;
    const targets: BenchTarget[] = [
      { name: `dispatch p95, job handed to BullMQ → picked by an agent (${n}; ${dispatch.all.length} jobs)`, value: p95(dispatch.all), unit: 'ms', target: '≤ 150', met: percentile(dispatch.all, 95) <= 150 },
      { name: `the studio's CPU while the lab runs (${n})`, value: round(cores, 2), unit: 'cores', target: '≤ 1', met: cores <= 1 },
      { name: `the studio's live heap grows linearly (${SIZE.jobs} queued, then ${done} done)`, value: round(Math.max(fits.heapByQueued.maxResidual, fits.heapByDone.maxResidual) * 100, 1), unit: '% largest distance from the fitted line', target: '≤ 5', met: fits.heapByQueued.linear && fits.heapByDone.linear },
      { name: `Redis memory grows linearly (INFO memory; ${SIZE.jobs} queued, then ${done} done)`, value: round(Math.max(fits.redisByQueued.maxResidual, fits.redisByDone.maxResidual) * 100, 1), unit: '% largest distance from the fitted line', target: '≤ 5', met: fits.redisByQueued.linear && fits.redisByDone.linear },
      { name: `the Lab screen's request (lab.status) under load, p95 of ${window.labMs.length}`, value: p95(window.labMs), unit: 'ms', target: '≤ 100', met: percentile(window.labMs, 95) <= 100 && !window.failures.length },
      { name: `the Jobs screen's request (jobs.list, 200) under load, p95 of ${window.jobsMs.length}`, value: p95(window.jobsMs), unit: 'ms', target: '≤ 100', met: percentile(window.jobsMs, 95) <= 100 && !window.failures.length },
      { name: `lab kill: trigger → all ${SIZE.agents} agents have it (${kill.reached} did)`, value: kill.reachedMs === null ? -1 : r1(kill.reachedMs), unit: 'ms', target: '≤ 500', met: kill.reachedMs !== null && kill.reachedMs <= 500 && kill.reached === SIZE.agents },
    ];
    const headroom = {
      dispatch: percentile(dispatch.all, 95) / 150,
      "the studio's CPU": cores,
      'the Lab screen': percentile(window.labMs, 95) / 100,
      'the Jobs screen': percentile(window.jobsMs, 95) / 100,
      'the lab kill': (kill.reachedMs ?? 500) / 500,
    };
    const limit = firstLimit(targets, headroom);
    say(`where the first limit is: ${limit}`);
    writeBenchResult('lab-scale', {
      targets,
      details: {
        size: SIZE,
        firstLimit: limit,
        // The machine around the run: other work on the 2 cores changes every figure below.
        loadDuringWindow1m: load1m(),
        enqueue: { jobs: SIZE.jobs, ms: r1(queued.ms), perSec: r1((SIZE.jobs / queued.ms) * 1000) },
        agentsStartSec: r1(agentsStartMs / 1000),
        throughput: { done, windowSec: r1(wallSec), jobsPerSec: r1(done / wallSec), idealJobsPerSec: r1(SIZE.agents / SIZE.jobSec) },
        dispatchMs: { p50: r1(median(dispatch.all)), p95: p95(dispatch.all), p99: r1(percentile(dispatch.all, 99)), max: r1(Math.max(...dispatch.all)), steadyP95: dispatch.steady.length ? p95(dispatch.steady) : null },
        studioCpu: { cores: round(cores, 2), withAgentsIdle: round(idleCores, 3), withItsChildren: round(coresWithChildren, 2), note: 'children: the output checks\' ffprobe runs, counted as they are reaped' },
        screensMs: { labP50: r1(median(window.labMs)), labP95: p95(window.labMs), jobsP50: r1(median(window.jobsMs)), jobsP95: p95(window.jobsMs), idleLab: r1(idleLab), idleJobs: r1(idleJobs), labWithIdleAgents: r1(busyAgentsLab), lab: window.labMs.map(r1), jobs: window.jobsMs.map(r1), failed: window.failures, failedOutsideTheWindow: setupFailures },
        memory: mem.map((m) => ({ phase: m.phase, x: m.x, heapMB: r1(m.heap / MB), redisMB: r1(m.redis / MB) })),
        fits: Object.fromEntries(Object.entries(fits).map(([k, f]) => [k, { bytesPer1000: Math.round(f.slope * 1000), r2: round(f.r2, 3), change: round(f.change, 3), maxResidual: round(f.maxResidual, 3), linear: f.linear }])),
        kill,
        // Where the studio's CPU went during the window (V8's sampling profiler, by each function's own time).
        studioProfileTop: profile,
      },
    });
  } finally {
    delete process.env.CHURCH_LAB_TRACE;
    heap?.close();
    await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
    await studio?.stop().catch(() => undefined);
    rc.disconnect();
    await redis.stop();
    // --keep: the temp folder (trace, agents' and studio's data) stays, to look into a run.
    if (process.argv.includes('--keep')) say(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
