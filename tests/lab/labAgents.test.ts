import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { isFinishedJobStatus } from '../../shared/contract/client';
import type { Job } from '../../shared/dto/jobs';
import type { VideoDetail } from '../../shared/dto/library';
import { church } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster, writeSecret, writeTurnaroundWrappers, writeWrappers, type AgentProc, type Studio } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

// The lab with real parts: Debian's redis-server on a random port, `church serve` as the studio, 2–3 real
// `church agent` child processes and real ffmpeg (behind stand-in wrappers where a GPU or a slow job is needed).

const terminal = (j: Job) => isFinishedJobStatus(j.status);

describeWithRedis('the lab on Redis with church agents', () => {
  const cluster = useLabCluster('church-lab-');
  const { dir, agents } = cluster;
  let studio: Studio;
  let wrappers: { nvenc: string; slow: string };
  let turnaround: ReturnType<typeof writeTurnaroundWrappers>;
  let fastId = 0;
  let slowId = 0;

  const agent = (name: string, ffmpeg?: string): Promise<AgentProc> => cluster.startAgent(name, { ffmpeg });
  const enqueue = (videoId: number, params: Record<string, unknown> = {}) =>
    studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast', ...params } });
  const finished = (id: number, timeoutMs = 120_000) => waitFor(`job ${id} to end`, async () => {
    const j = await studio.job(id);
    return terminal(j) ? j : null;
  }, timeoutMs);
  const runningOn = (id: number, host: string) => waitFor(`job ${id} to make progress on ${host}`, async () => {
    const j = await studio.job(id);
    if (terminal(j)) throw new Error(`job ${id} ended (${j.status}) before the test could act on it`);
    return j.progress?.host === host && (j.progress.outTimeSec ?? 0) > 0 ? j : null;
  });
  const outputsOf = async (videoId: number, jobId: number) => (await studio.call<VideoDetail>('library.get', { id: videoId })).outputs.filter((o) => o.jobId === jobId);
  /** ffmpeg processes working in an agent's folder (its temp output lives there). */
  const ffmpegsOf = (name: string): number[] =>
    readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(dir, `agent-${name}`, 'lab-work'));
      } catch {
        return false;
      }
    }).map(Number);

  /** The kernel's state letter for a process (T: stopped by a signal), or null once it is gone. */
  const processState = (pid: number): string | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      return null;
    }
  };

  beforeAll(async () => {
    wrappers = writeWrappers(dir);
    const media = join(dir, 'media');
    mkdirSync(media);
    await makeClip(join(media, 'fast.avi'), { seconds: 1, vcodec: 'mpeg4', audio: false });
    await makeClip(join(media, 'slow.avi'), { seconds: 20, vcodec: 'mpeg4', audio: false, width: 160, height: 120 });
    turnaround = writeTurnaroundWrappers(dir);
    // Its ffprobe passes every probe through, only holding the check of an output under gated-out (see below).
    studio = await cluster.startStudio({ env: { FFPROBE_PATH: turnaround.ffprobe } });
    await studio.call('library.import', { paths: [join(media, 'fast.avi'), join(media, 'slow.avi')], assets: false });
    const page = await studio.call<{ items: { id: number; title: string }[] }>('library.search', {});
    fastId = page.items.find((i) => /fast/.test(i.title))!.id;
    slowId = page.items.find((i) => /slow/.test(i.title))!.id;
  }, 120_000);

  it('runs a job on an agent (output registered as a local one, host reported) and routes a hardware-encoder job to the agent that has it, which falls back to software', async () => {
    await agent('alpha');
    await agent('gpu', wrappers.nvenc);
    // The same ffmpeg as alpha: its encoder tests are cached for beta, which must start quickly mid-job later.

    const lab = await church(['--lab', cluster.redis.url, '--lab-secret-file', cluster.secret, 'lab', '--json']);
    expect(lab.code, lab.stderr).toBe(0);
    const overview = JSON.parse(lab.stdout) as { agents: { name: string; state: string; encoders: string[]; lastSeen: string }[] };
    expect(overview.agents.map((a) => a.name)).toEqual(['alpha', 'gpu']);
    expect(overview.agents.find((a) => a.name === 'gpu')!.encoders).toContain('h264_nvenc');
    expect(overview.agents.find((a) => a.name === 'alpha')!.encoders).not.toContain('h264_nvenc');
    expect(overview.agents.every((a) => a.state === 'idle')).toBe(true);

    // Through the CLI, attached to the studio: --wait --json reports the host.
    const cli = await church(['transcode', String(fastId), '--preset', 'web', '--param', 'remuxWhenCompliant=false', '--param', 'x264Preset=ultrafast', '--wait', '--json', '--data-dir', studio.dataDir], { timeoutMs: 120_000 });
    expect(cli.code, cli.stderr).toBe(0);
    const done = JSON.parse(cli.stdout) as Job;
    expect(done.status).toBe('done');
    expect(['alpha', 'gpu']).toContain(done.host);
    const outs = await outputsOf(fastId, done.id);
    expect(outs).toHaveLength(1);
    expect(outs[0]!.sizeBytes).toBeGreaterThan(1000);
    expect(readdirSync(dirname(done.outputPath)).filter((f) => f.startsWith('.church-tmp-'))).toEqual([]);

    const hw = await enqueue(fastId, { encoder: 'h264_nvenc' });
    const hwDone = await finished(hw.id);
    expect(hwDone.status, hwDone.error ?? '').toBe('done');
    expect(hwDone.host).toBe('gpu');
    expect(hwDone.logTail).toMatch(/h264_nvenc.*software encoder/);
    expect(await outputsOf(fastId, hw.id)).toHaveLength(1);
    for (const a of agents.splice(0)) await a.stop();
  }, 300_000);

  it('pause and cancel reach the agent: its ffmpeg is suspended and resumed in place, then stopped, and the job is cancelled', async () => {
    await agent('slow1', wrappers.slow);
    const job = await enqueue(slowId);
    await runningOn(job.id, 'slow1');
    const pids = ffmpegsOf('slow1');
    expect(pids.length).toBeGreaterThan(0);
    // Pausing the queue suspends the agent's encode (SIGSTOP: the kernel shows it stopped); resuming continues it.
    await studio.call('jobs.pause', {});
    await waitFor('the agent\'s ffmpeg to be stopped', () => pids.every((pid) => processState(pid) === 'T'));
    expect((await studio.job(job.id)).status).toBe('paused');
    await studio.call('jobs.resume', {});
    await waitFor('the agent\'s ffmpeg to run again', () => pids.every((pid) => processState(pid) !== 'T'));
    expect((await studio.job(job.id)).status).toBe('running');
    const cancelled = await studio.call<Job>('jobs.cancel', { id: job.id });
    expect(cancelled.status).toBe('cancelled');
    await waitFor('the agent\'s ffmpeg to be gone', () => ffmpegsOf('slow1').length === 0);
    expect(await outputsOf(slowId, job.id)).toHaveLength(0);
  }, 300_000);

  it('an agent killed mid-job (kill -9) has its job taken over by another agent; exactly one output', async () => {
    const slow1 = agents.find((a) => a.name === 'slow1')!;
    const job = await enqueue(slowId);
    await runningOn(job.id, 'slow1');
    await agent('beta');
    await slow1.killHard();
    agents.splice(agents.indexOf(slow1), 1);
    const done = await finished(job.id, 180_000);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.host).toBe('beta');
    expect(await outputsOf(slowId, job.id)).toHaveLength(1);
    // The silent agent raised a "host offline" alert (desktop, e-mail when configured, audit log).
    await waitFor('the host offline alert', async () => {
      const entries = await studio.call<{ action: string; input: unknown }[]>('audit.recent', { limit: 100 });
      return entries.find((e) => e.action === 'monitor.alert.fired' && JSON.stringify(e.input).includes('Lab host offline: slow1'));
    });
    expect(readdirSync(dirname(done.outputPath)).filter((f) => f.startsWith('.church-tmp-'))).toEqual([]);
  }, 300_000);

  it('Redis restarted empty mid-queue loses no job: the studio puts back what SQLite knows is unfinished', async () => {
    for (const a of agents.splice(0)) await a.stop();
    await agent('slow2', wrappers.slow);
    const first = await enqueue(slowId);
    const second = await enqueue(fastId);
    await runningOn(first.id, 'slow2');
    await cluster.redis.restart();
    const [a, b] = [await finished(first.id, 180_000), await finished(second.id, 180_000)];
    expect(a.status, a.error ?? '').toBe('done');
    expect(b.status, b.error ?? '').toBe('done');
    expect(await outputsOf(slowId, first.id)).toHaveLength(1);
    expect(await outputsOf(fastId, second.id)).toHaveLength(1);
  }, 300_000);

  it('a lab slot gets its next job once its agent has uploaded, before the studio has checked and registered the output', async () => {
    // One slot in the whole lab: the studio must no longer count the earlier agents, or a second slot would let
    // both jobs into BullMQ at once. `church lab` calls a host offline after 15 s of silence; the studio here after
    // 4 s (CHURCH_LAB_OFFLINE_MS), re-reading every second, so by then it has long dropped them.
    const before = agents.splice(0);
    for (const a of before) await a.stop();
    if (before.length) {
      await waitFor('the earlier agents to be offline', async () => {
        const r = await church(['--lab', cluster.redis.url, '--lab-secret-file', cluster.secret, 'lab', '--json']);
        const view = JSON.parse(r.stdout) as { agents: { name: string; state: string }[] };
        return before.every((a) => view.agents.find((v) => v.name === a.name)?.state === 'offline');
      });
    }
    await agent('solo', turnaround.ffmpeg);
    const outDir = join(dir, 'gated-out');
    const queue = (videoId: number) => studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', outDir, params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } });
    const first = await queue(fastId);
    const second = await queue(fastId);
    // The studio's check of the first output is held until a second encode has started on the one-slot agent:
    // that can only happen if the slot was given back before the first output was registered.
    const [a, b] = [await finished(first.id), await finished(second.id)];
    expect(a.status, a.error ?? '').toBe('done');
    expect(b.status, b.error ?? '').toBe('done');
    expect([a.host, b.host]).toEqual(['solo', 'solo']);
    expect(readFileSync(turnaround.gateLog, 'utf8').split('\n')[0]).toBe('next encode started first');
    expect(readFileSync(turnaround.spawnLog, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await outputsOf(fastId, first.id)).toHaveLength(1);
    expect(await outputsOf(fastId, second.id)).toHaveLength(1);
    expect(readdirSync(outDir).filter((f) => f.startsWith('.church-tmp-'))).toEqual([]);
  }, 300_000);

  it('refuses an agent without the lab secret, with a wrong one, or with one other users can read', async () => {
    const missing = await church(['agent', '--lab', cluster.redis.url, '--name', 'nosecret', '--data-dir', join(dir, 'agent-nosecret')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs the lab secret: pass --secret-file FILE/);
    const wrong = await church(['agent', '--lab', cluster.redis.url, '--secret-file', writeSecret(dir, 'wrong.secret', '5e0b8c1d2f3a4b6c7d8e9f00112233445566778899aabbccddeeff0123456789'), '--name', 'wrong', '--data-dir', join(dir, 'agent-wrong')], { timeoutMs: 120_000 });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/lab secret is not the studio's/);
    const open = writeSecret(dir, 'open.secret');
    const { chmodSync } = await import('node:fs');
    chmodSync(open, 0o644);
    const readable = await church(['agent', '--lab', cluster.redis.url, '--secret-file', open, '--data-dir', join(dir, 'agent-open')], { timeoutMs: 120_000 });
    expect(readable.code).toBe(2);
    expect(readable.stderr).toMatch(/can be read by other users; run "chmod 600/);
  }, 120_000);
});
