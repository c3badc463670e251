import { createReadStream, existsSync, mkdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeFfmpeg } from '../../../platform/media';
import { checkUsableEncoders, isHardwareEncoder } from '../../../platform/media/usableEncoders';
import { startFfmpeg, type FfmpegExit, type FfmpegHandle } from '../../jobs';
import type { LabConfig } from '../config';
import { encoderFailedToOpen } from '../fallback';
import { AGENTS_SET, CONTROL_CHANNEL, ENCODE_QUEUE, SECRET_CHECK_KEY, agentKey, encoderQueue } from '../names';
import { OUTPUT_TOKEN, SOURCE_TOKEN, type AgentAnnouncement, type ControlBody, type LabJobBody, type LabJobProgress, type LabJobResult } from '../protocol';
import { connectRedis, waitForRedis } from '../redis';
import { runAgentKill } from '../labKill';
import { startSamplePublisher } from './publishSamples';
import { NonceCache, SignatureError, secretFingerprint, verifyMessage } from '../signing';
import { ChurchError } from '../../../../shared/errors';
import { labTrace } from '../trace';

export interface PathMapping {
  /** The studio's path prefix (as the studio names its files). */
  from: string;
  /** The same folder as mounted on this agent. */
  to: string;
}

export interface AgentOptions {
  lab: LabConfig;
  name: string;
  concurrency: number;
  /** Holds the encoder test cache and the temp outputs before upload. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  pathMap: PathMapping[];
  /** BullMQ lock: a job whose agent stops renewing it for this long is taken over by another agent. */
  stallMs: number;
  heartbeatMs: number;
  /** How often this host's monitor sample is published (the studio's sampler, run here). */
  sampleMs: number;
  log(line: string): void;
}

export interface RunningAgent {
  readonly name: string;
  readonly encoders: string[];
  close(): Promise<void>;
}

const CONTROL_MAX_AGE_MS = 30_000;
const JOB_MAX_AGE_MS = 7 * 24 * 3600_000;

/** A source by the agent's own path when the studio's file is reachable through a mapping, else its signed URL. */
export function resolveSource(src: { path: string; url: string }, map: readonly PathMapping[], exists: (p: string) => boolean = existsSync): string {
  for (const m of map) {
    const from = m.from.endsWith('/') ? m.from : `${m.from}/`;
    if (src.path.startsWith(from)) {
      const local = join(m.to, src.path.slice(from.length));
      if (exists(local)) return `file:${local}`;
    }
  }
  return src.url;
}

export function fillArgs(args: readonly string[], sources: readonly string[], output: string): string[] {
  return args.map((a) => {
    if (a === OUTPUT_TOKEN) return output;
    const i = sources.findIndex((_, n) => a === SOURCE_TOKEN(n));
    return i >= 0 ? sources[i]! : a;
  });
}

interface ActiveJob {
  studioJobId: number;
  handle: FfmpegHandle | null;
  cancelled: boolean;
  stopReason?: string;
  percent: number | null;
}

/**
 * `church agent`: announces this host (cores, memory, disk, ffmpeg, the encoders that passed a test encode) with a
 * heartbeat, takes encodes from BullMQ (the common queue and the queue of each usable hardware encoder), runs them
 * with the local ffmpeg, and uploads the output. Control messages (cancel, pause) must carry the lab's signature.
 */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const workRoot = join(opts.dataDir, 'lab-work');
  rmSync(workRoot, { recursive: true, force: true }); // what a killed agent left behind
  mkdirSync(workRoot, { recursive: true, mode: 0o700 });
  const conn: Redis = connectRedis(opts.lab.url, `church-agent-${opts.name}`);
  const studioCheck = await waitForRedis(conn, opts.lab.url, 10_000).then(() => conn.get(SECRET_CHECK_KEY)).catch((e: unknown) => {
    conn.disconnect();
    throw e;
  });
  if (studioCheck !== null && studioCheck !== secretFingerprint(opts.lab.secret)) {
    conn.disconnect();
    throw new ChurchError('INVALID_INPUT', 'this agent\'s lab secret is not the studio\'s (the studio would refuse its work and it would refuse the studio\'s jobs); copy the studio\'s secret file to this host and pass it with --secret-file');
  }
  // Checked after the secret (cheap first): the encoder tests take seconds.
  const ffmpeg = await describeFfmpeg(opts.env);
  if (!ffmpeg.path || ffmpeg.problem) {
    conn.disconnect();
    throw new ChurchError('UNAVAILABLE', ffmpeg.problem ?? 'ffmpeg was not found; install it or set FFMPEG_PATH');
  }
  const check = await checkUsableEncoders({ ffmpegPath: ffmpeg.path, version: ffmpeg.version, compiled: ffmpeg.encoders, cacheFile: join(opts.dataDir, 'encoder-check.json'), env: opts.env });
  const sub: Redis = connectRedis(opts.lab.url, `church-agent-${opts.name}-control`);
  const active = new Map<string, ActiveJob>();
  const nonces = new NonceCache(CONTROL_MAX_AGE_MS);
  const startedAt = new Date().toISOString();
  let paused = false;
  let killed = false;
  let closing = false;

  const announce = async (): Promise<void> => {
    let freeDisk: number | null = null;
    try {
      const s = statfsSync(opts.dataDir);
      freeDisk = s.bavail * s.bsize;
    } catch {
      // unknown
    }
    const a: AgentAnnouncement = {
      name: opts.name,
      hostname: hostname(),
      pid: process.pid,
      cores: cpus().length,
      memoryBytes: totalmem(),
      freeDiskBytes: freeDisk,
      ffmpegVersion: ffmpeg.version,
      encoders: check.usable,
      concurrency: opts.concurrency,
      paused,
      running: [...active.entries()].map(([bullId, j]) => ({ bullId, studioJobId: j.studioJobId, percent: j.percent })),
      loadAverage: loadavg(),
      startedAt,
      lastSeen: new Date().toISOString(),
    };
    await conn.multi().set(agentKey(opts.name), JSON.stringify(a)).sadd(AGENTS_SET, opts.name).exec();
  };

  const process_ = async (job: BullJob): Promise<LabJobResult> => {
    labTrace('agent.picked', { bullId: String(job.id) });
    let body: LabJobBody;
    try {
      body = verifyMessage<LabJobBody>(opts.lab.secret, job.data, { maxAgeMs: JOB_MAX_AGE_MS, replay: null });
    } catch (e) {
      opts.log(`refused job ${job.id}: ${(e as Error).message}`);
      throw new UnrecoverableError(`the agent ${opts.name} refused the job: ${(e as Error).message} (is the lab secret the same on the studio and this agent?)`);
    }
    const bullId = String(job.id);
    const entry: ActiveJob = { studioJobId: body.studioJobId, handle: null, cancelled: paused && killed, percent: null, ...(killed ? { stopReason: 'stopped by the emergency kill switch' } : {}) };
    active.set(bullId, entry);
    const dir = join(workRoot, bullId.replace(/[^\w-]/g, '_'));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const output = join(dir, `out${body.outExt.replace(/[^\w.]/g, '')}`);
    try {
      labTrace('agent.prepared', { bullId });
      const sources = body.sources.map((s) => resolveSource(s, opts.pathMap));
      labTrace('agent.resolved', { bullId });
      let reported = false;
      const run = async (args: string[]): Promise<FfmpegExit> => {
        let last = 0;
        const handle = startFfmpeg(ffmpeg.path!, fillArgs(args, sources, output), {
          env: opts.env,
          stallTimeoutMs: 120_000,
          onProgress: (s) => {
            if (body.durationSec && s.outTimeSec !== null) entry.percent = Math.min(100, (s.outTimeSec / body.durationSec) * 100);
            const now = Date.now();
            if (!s.end && now - last < 250) return;
            last = now;
            void job.updateProgress({ host: opts.name, outTimeSec: s.outTimeSec, fps: s.fps, speed: s.speed, end: s.end } satisfies LabJobProgress).catch(() => undefined);
          },
        });
        entry.handle = handle;
        labTrace('agent.spawned', { bullId });
        void handle.done.then(() => labTrace('agent.ffmpegExited', { bullId }));
        // The studio learns the host once ffmpeg runs, not before: a report (a Redis round trip) ahead of the spawn
        // would delay every job's start by it. ffmpeg's own reports follow it on the same connection, in order.
        if (!reported) {
          reported = true;
          void job.updateProgress({ host: opts.name, outTimeSec: null, fps: null, speed: null, end: false } satisfies LabJobProgress).catch(() => undefined);
          void announce().catch(() => undefined);
        }
        if (entry.cancelled) handle.terminate(500);
        return handle.done;
      };
      let exit = await run(body.args);
      let fellBack = false;
      if (exit.code !== 0 && !entry.cancelled && body.encoder && body.fallbackArgs && encoderFailedToOpen(exit.logTail)) {
        opts.log(`job ${bullId}: ${body.encoder} did not open; falling back to the software encoder`);
        fellBack = true;
        exit = await run(body.fallbackArgs);
      }
      if (entry.cancelled) throw new UnrecoverableError(entry.stopReason ?? 'cancelled by the owner');
      if (exit.code !== 0) {
        const why = exit.spawnError ? `ffmpeg could not start on ${opts.name} (${exit.spawnError})` : `ffmpeg failed on ${opts.name} (exit ${exit.code ?? exit.signal})`;
        throw new UnrecoverableError(`${why}: ${exit.logTail.split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 400)}`);
      }
      await upload(output, body.outputUrl);
      labTrace('agent.uploaded', { bullId });
      return { host: opts.name, logTail: `${fellBack ? `[lab] ${body.encoder} failed to open on ${opts.name}; fell back to the software encoder\n` : ''}${exit.logTail}`, fellBack };
    } finally {
      active.delete(bullId);
      rmSync(dir, { recursive: true, force: true });
      void announce().catch(() => undefined);
    }
  };

  const workerOpts = {
    connection: conn,
    lockDuration: opts.stallMs,
    stalledInterval: opts.stallMs,
    maxStalledCount: 5,
    autorun: true,
  };
  const workers: Worker[] = [new Worker(ENCODE_QUEUE, process_, { ...workerOpts, concurrency: opts.concurrency })];
  for (const enc of check.usable.filter(isHardwareEncoder)) workers.push(new Worker(encoderQueue(enc), process_, { ...workerOpts, concurrency: 1 }));
  for (const w of workers) w.on('error', () => undefined);

  const onControl = (raw: string): void => {
    let body: ControlBody;
    try {
      body = verifyMessage<ControlBody>(opts.lab.secret, JSON.parse(raw) as unknown, { maxAgeMs: CONTROL_MAX_AGE_MS, replay: nonces });
    } catch (e) {
      opts.log(`ignored a control message: ${e instanceof SignatureError ? e.reason : 'not JSON'}`);
      return;
    }
    if (body.type === 'cancel' || body.type === 'pause' || body.type === 'resume') {
      const j = active.get(body.bullId);
      if (!j) return;
      if (body.type === 'cancel') {
        j.cancelled = true;
        j.handle?.terminate(500);
      } else if (body.type === 'pause') j.handle?.suspend();
      else j.handle?.resume();
    } else if (body.type === 'kill') {
      labTrace('agent.killReceived', { runId: body.runId });
      void runAgentKill({
        lab: opts.lab,
        redis: conn,
        host: opts.name,
        dataDir: opts.dataDir,
        env: opts.env,
        runId: body.runId,
        dryRun: body.dryRun,
        reason: body.reason,
        stopJobs: async () => {
          // Nothing new is taken, then every encode here stops; BullMQ records them as failed (not retried).
          labTrace('agent.stopJobs');
          paused = true;
          killed = true;
          for (const w of workers) void w.pause(true).catch(() => undefined);
          const jobs = [...active.values()];
          for (const j of jobs) {
            j.cancelled = true;
            j.stopReason = 'stopped by the emergency kill switch';
            // No grace: an emergency stop kills at once, and a killed job's output is thrown away anyway.
            j.handle?.terminate(0);
          }
          labTrace('agent.signalled');
          await Promise.all(jobs.map((j) => j.handle?.done));
          return { stopped: jobs.length };
        },
        log: opts.log,
      }).catch((e: unknown) => opts.log(`kill switch run failed: ${(e as Error).message}`));
    } else if (body.type === 'pause-agent' && body.agent === opts.name) {
      paused = body.paused;
      if (!paused) killed = false;
      for (const w of workers) {
        if (paused) void w.pause(true);
        else w.resume();
      }
      void announce().catch(() => undefined);
    }
  };
  sub.on('message', (channel: string, message: string) => channel === CONTROL_CHANNEL && onControl(message));
  await sub.subscribe(CONTROL_CHANNEL);
  await announce();
  const beat = setInterval(() => void announce().catch(() => undefined), opts.heartbeatMs);
  const samples = startSamplePublisher({ redis: conn, secret: opts.lab.secret, host: opts.name, intervalMs: opts.sampleMs, env: opts.env, log: opts.log });
  opts.log(`agent ${opts.name} ready: ${opts.concurrency} slot(s), encoders ${check.usable.join(', ') || 'none'}`);

  return {
    name: opts.name,
    encoders: check.usable,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(beat);
      await samples.close();
      for (const j of active.values()) {
        j.cancelled = true;
        j.handle?.terminate(500);
      }
      // With Redis gone, BullMQ's close waits for a connection forever: give it a few seconds, then cut.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(workers.map((w) => w.close())),
        new Promise((resolve) => (timer = setTimeout(resolve, 3000))),
      ]);
      clearTimeout(timer);
      conn.disconnect();
      sub.disconnect();
      for (const w of workers) void w.disconnect().catch(() => undefined);
    },
  };
}

async function upload(file: string, url: string): Promise<void> {
  const size = statSync(file).size;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  if (res.status !== 201) throw new Error(`the studio refused the output upload (HTTP ${res.status}); check that the studio and agent share the lab secret`);
}
