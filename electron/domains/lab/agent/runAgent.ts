import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeFfmpeg } from '../../../platform/media';
import { killProcessesWritingUnder } from '../../../platform/process';
import { parentDeathWrapper } from '../../../platform/process/parentDeath';
import { checkUsableEncoders, isHardwareEncoder } from '../../../platform/media/usableEncoders';
import { AGENTS_SET, CONTROL_CHANNEL, ENCODE_QUEUE, SECRET_CHECK_KEY, agentKey, encoderQueue } from '../names';
import { agentCredential, type AgentCredential } from '../identity';
import { ANNOUNCE_TTL_MS, type AgentAnnouncement } from '../protocol';
import { connectRedis, waitForRedis } from '../redis';
import { PersistentNonces } from '../nonceStore';
import { signMessage } from '../signing';
import { ChurchError } from '../../../../shared/errors';
import { recordAcceptedBaseline } from '../../killswitch';
import type { AgentContext, AgentOptions, RunningAgent } from './agentTypes';
import { CONTROL_MAX_AGE_MS, controlHandler } from './controlMessages';
import { encodeJobProcessor } from './encodeJob';
import { startSamplePublisher } from './publishSamples';
import { startSourceProxy } from './sourceProxy';
import { studioTrust } from './studioTrust';

export type { AgentOptions, PathMapping, RunningAgent } from './agentTypes';
export { fillArgs, resolveSource } from './jobArgs';

/**
 * Connects to the lab's Redis and checks what the agent needs before it takes work: the studio's secret (cheap,
 * first), ffmpeg and the encoders that pass a test encode (seconds). The connection is closed on any failure.
 */
async function connectAgent(opts: AgentOptions, cred: AgentCredential) {
  const conn: Redis = connectRedis(opts.lab.url, `church-agent-${opts.name}`);
  const studioCheck = await waitForRedis(conn, opts.lab.url, 10_000).then(() => conn.get(SECRET_CHECK_KEY)).catch((e: unknown) => {
    conn.disconnect();
    throw e;
  });
  if (studioCheck !== null && studioCheck !== cred.studioId) {
    conn.disconnect();
    throw new ChurchError('INVALID_INPUT', 'this agent\'s lab secret is not the studio\'s (the studio would refuse its work and it would refuse the studio\'s jobs); copy the studio\'s secret file to this host and pass it with --secret-file');
  }
  const ffmpeg = await describeFfmpeg(opts.env);
  if (!ffmpeg.path || ffmpeg.problem) {
    conn.disconnect();
    throw new ChurchError('UNAVAILABLE', ffmpeg.problem ?? 'ffmpeg was not found; install it or set FFMPEG_PATH');
  }
  const check = await checkUsableEncoders({ ffmpegPath: ffmpeg.path, version: ffmpeg.version, compiled: ffmpeg.encoders, cacheFile: join(opts.dataDir, 'encoder-check.json'), env: opts.env });
  return { conn, ffmpegPath: ffmpeg.path, ffmpegVersion: ffmpeg.version, encoders: check.usable };
}

/** This host as the studio's Lab view shows it: resources, encoders, what runs, and whether it is paused. */
function announcement(ctx: AgentContext, fixed: { ffmpegVersion: AgentAnnouncement['ffmpegVersion']; encoders: string[]; startedAt: string }): AgentAnnouncement {
  const { opts } = ctx;
  let freeDisk: number | null = null;
  try {
    const s = statfsSync(opts.dataDir);
    freeDisk = s.bavail * s.bsize;
  } catch {
    // unknown
  }
  return {
    name: opts.name,
    hostname: hostname(),
    pid: process.pid,
    cores: cpus().length,
    memoryBytes: totalmem(),
    freeDiskBytes: freeDisk,
    ffmpegVersion: fixed.ffmpegVersion,
    encoders: fixed.encoders,
    concurrency: opts.concurrency,
    paused: ctx.paused,
    running: [...ctx.active.entries()].map(([bullId, j]) => ({ bullId, studioJobId: j.studioJobId, percent: j.percent })),
    loadAverage: loadavg(),
    startedAt: fixed.startedAt,
    lastSeen: new Date().toISOString(),
  };
}

/** One BullMQ worker for the common queue, and one per usable hardware encoder (one encode at a time each). */
function startWorkers(ctx: AgentContext, encoders: string[]): Worker[] {
  const process_ = encodeJobProcessor(ctx);
  const workerOpts = { connection: ctx.conn, lockDuration: ctx.opts.stallMs, stalledInterval: ctx.opts.stallMs, maxStalledCount: 5, autorun: true };
  const workers: Worker[] = [new Worker(ENCODE_QUEUE, process_, { ...workerOpts, concurrency: ctx.opts.concurrency })];
  for (const enc of encoders.filter(isHardwareEncoder)) workers.push(new Worker(encoderQueue(enc), process_, { ...workerOpts, concurrency: 1 }));
  for (const w of workers) w.on('error', () => undefined);
  return workers;
}

/**
 * What an agent killed before this one left in the data dir: its ffmpeg (still encoding where nothing made it die
 * with the agent) is stopped first, so that nothing writes into the folder once it is cleaned; then the folder goes.
 */
async function cleanWorkRoot(opts: AgentOptions): Promise<string> {
  const workRoot = join(opts.dataDir, 'lab-work');
  const left = await killProcessesWritingUnder(workRoot);
  if (left.length) opts.log(`stopped ${left.length} ffmpeg process${left.length === 1 ? '' : 'es'} left running by the agent before this one (pid ${left.join(', ')})`);
  rmSync(workRoot, { recursive: true, force: true });
  mkdirSync(workRoot, { recursive: true, mode: 0o700 });
  return workRoot;
}

/**
 * `church agent`: announces this host (cores, memory, disk, ffmpeg, the encoders that passed a test encode) with a
 * heartbeat, takes encodes from BullMQ (the common queue and the queue of each usable hardware encoder), runs them
 * with the local ffmpeg, and uploads the output. Control messages (cancel, pause) must carry the lab's signature.
 */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  // The commands of the plan in place at start are the owner's; one that lands in the data dir later is held.
  recordAcceptedBaseline(opts.dataDir);
  const workRoot = await cleanWorkRoot(opts);
  const dieWithParent = await parentDeathWrapper(opts.env);
  const cred = agentCredential(opts.lab.secret, opts.name);
  const { conn, ffmpegPath, ffmpegVersion, encoders } = await connectAgent(opts, cred);
  const sources = await startSourceProxy().catch((e: unknown) => {
    conn.disconnect();
    throw e;
  });
  const sub: Redis = connectRedis(opts.lab.url, `church-agent-${opts.name}-control`);
  const fixed = { ffmpegVersion, encoders, startedAt: new Date().toISOString() };
  let workers: Worker[] = [];
  const ctx: AgentContext = {
    opts,
    cred,
    conn,
    ffmpegPath,
    dieWithParent,
    workRoot,
    active: new Map(),
    sources,
    paused: false,
    killed: false,
    secretDiffers: false,
    noteSecretDiffers: (why) => trust.stop(why),
    // Signed with this agent's own key, kept with a TTL whose remainder tells its age by Redis's clock; the
    // studio's published key comes back in the same round trip (a secret that differs is noticed at a heartbeat).
    announce: async () => {
      const signed = JSON.stringify(signMessage(cred.key, announcement(ctx, fixed)));
      const res = await conn.multi().set(agentKey(opts.name), signed, 'PX', ANNOUNCE_TTL_MS).sadd(AGENTS_SET, opts.name).get(SECRET_CHECK_KEY).exec();
      const published = res?.[2]?.[1];
      trust.checkPublished(typeof published === 'string' ? published : null);
    },
  };
  const trust = studioTrust(ctx, () => workers);
  workers = startWorkers(ctx, encoders);
  const onControl = controlHandler(ctx, workers, new PersistentNonces(conn, `agent:${opts.name}`, CONTROL_MAX_AGE_MS));
  sub.on('message', (channel: string, message: string) => void (channel === CONTROL_CHANNEL && onControl(message)));
  await sub.subscribe(CONTROL_CHANNEL);
  await ctx.announce();
  const beat = setInterval(() => void ctx.announce().catch(() => undefined), opts.heartbeatMs);
  const samples = startSamplePublisher({ redis: conn, key: cred.key, host: opts.name, intervalMs: opts.sampleMs, env: opts.env, log: opts.log });
  opts.log(`agent ${opts.name} ready: ${opts.concurrency} slot(s), encoders ${encoders.join(', ') || 'none'}`);

  let closing = false;
  return {
    name: opts.name,
    encoders,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(beat);
      await samples.close();
      for (const j of ctx.active.values()) {
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
      await sources.close();
      conn.disconnect();
      sub.disconnect();
      for (const w of workers) void w.disconnect().catch(() => undefined);
    },
  };
}
