import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { join } from 'node:path';
import { findLiveInstance } from '../../electron/host/instance';
import { connectRemote, type RemoteClient } from '../../electron/host/transports/remoteClient';
import { resolveBinary } from '../../electron/platform/media';
import type { Job } from '../../shared/dto/jobs';
import { afterAll, beforeAll } from 'vitest';
import { CHURCH_BIN, startServe } from './cli';
import { makeClip } from './media';
import { TestRedis } from './redis';
import { tempDir } from './tempDir';

export function writeSecret(dir: string, name = 'lab.secret', text = 'a-lab-secret-of-more-than-16-chars-0123456789'): string {
  const file = join(dir, name);
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * Stand-in ffmpeg wrappers for agents (real ffmpeg underneath): "nvenc" advertises a working h264_nvenc in the
 * test encode but fails to open it for real work, as a card whose driver broke would; "slow" reads its input at
 * the native frame rate (-re), so a job lasts as long as its clip on any machine.
 */
export function writeWrappers(dir: string): { nvenc: string; slow: string } {
  const real = resolveBinary('ffmpeg').path;
  if (!real) throw new Error('ffmpeg is required for the lab tests');
  const nvenc = join(dir, 'ffmpeg-nvenc');
  writeFileSync(nvenc, `#!/bin/sh
case " $* " in
  *" h264_nvenc "*)
    case " $* " in
      *" lavfi "*) exit 0 ;;
    esac
    echo "[h264_nvenc @ 0x5555] Cannot load libcuda.so.1" >&2
    echo "Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height" >&2
    exit 1 ;;
esac
exec ${real} "$@"
`, { mode: 0o755 });
  const slow = join(dir, 'ffmpeg-slow');
  writeFileSync(slow, `#!/bin/sh
case " $* " in
  *" -progress "*) exec ${real} -re "$@" ;;
esac
exec ${real} "$@"
`, { mode: 0o755 });
  return { nvenc, slow };
}

/**
 * Wrappers that make a slot's turnaround observable without timing: the agent's ffmpeg appends a line to
 * `spawnLog` as it starts an encode; the studio's ffprobe, asked to check an output under a folder named
 * gated-out, holds that check until a second encode has started (20 s at most, under ffprobe's 30 s timeout) and
 * writes to `gateLog` which came first.
 */
export function writeTurnaroundWrappers(dir: string): { ffmpeg: string; ffprobe: string; spawnLog: string; gateLog: string } {
  const realFfmpeg = resolveBinary('ffmpeg').path;
  const realFfprobe = resolveBinary('ffprobe').path;
  if (!realFfmpeg || !realFfprobe) throw new Error('ffmpeg and ffprobe are required for the lab tests');
  const spawnLog = join(dir, 'spawn.log');
  const gateLog = join(dir, 'gate.log');
  const ffmpeg = join(dir, 'ffmpeg-spawnlog');
  writeFileSync(ffmpeg, `#!/bin/sh
case "$*" in
  *"/lab-work/"*) echo started >> '${spawnLog}' ;;
esac
exec ${realFfmpeg} "$@"
`, { mode: 0o755 });
  const ffprobe = join(dir, 'ffprobe-gate');
  writeFileSync(ffprobe, `#!/bin/sh
spawned() { cat '${spawnLog}' 2>/dev/null | wc -l; }
case "$*" in
  *"/gated-out/"*)
    until=$(( $(date +%s) + 20 ))
    while [ "$(spawned)" -lt 2 ] && [ "$(date +%s)" -lt $until ]; do sleep 0.1; done
    if [ "$(spawned)" -ge 2 ]; then echo "next encode started first" >> '${gateLog}'; else echo "no second encode within 20 s" >> '${gateLog}'; fi ;;
esac
exec ${realFfprobe} "$@"
`, { mode: 0o755 });
  return { ffmpeg, ffprobe, spawnLog, gateLog };
}

export interface AgentProc {
  name: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** kill -9 of the agent and its ffmpeg (its process group), as an unplugged host. */
  killHard(): Promise<void>;
}

export async function startAgent(opts: { redis: TestRedis; secretFile: string; name: string; dataDir: string; ffmpeg?: string; concurrency?: number; extra?: string[]; cacheDir?: string; cpu?: number; env?: NodeJS.ProcessEnv }): Promise<AgentProc> {
  mkdirSync(opts.dataDir, { recursive: true });
  // Agents on the same ffmpeg share its encoder test results (the cache is keyed by binary and version), so only
  // the first one of a kind pays for the test encodes.
  const shared = opts.cacheDir ? join(opts.cacheDir, `encoder-check-${basename(opts.ffmpeg ?? 'ffmpeg')}.json`) : null;
  if (shared && existsSync(shared)) copyFileSync(shared, join(opts.dataDir, 'encoder-check.json'));
  const env: NodeJS.ProcessEnv = { ...process.env, CHURCH_NO_ATTACH: '1', ...opts.env };
  if (opts.ffmpeg) env.FFMPEG_PATH = opts.ffmpeg;
  // cpu: pinned to one core with taskset (the bench's side-by-side throughput), its ffmpeg inheriting it.
  const argv = [process.execPath, CHURCH_BIN, 'agent', '--lab', opts.redis.url, '--secret-file', opts.secretFile, '--name', opts.name, '--data-dir', opts.dataDir, '--concurrency', String(opts.concurrency ?? 1), '--stall-ms', '3000', '--heartbeat-ms', '500', '--json', ...(opts.extra ?? [])];
  const pinned = opts.cpu === undefined ? argv : ['taskset', '-c', String(opts.cpu), ...argv];
  const child = spawn(pinned[0]!, pinned.slice(1), {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent ${opts.name} did not get ready in 60 s: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"ready": true')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent ${opts.name} exited (${code}): ${err}`));
    });
  });
  if (shared && !existsSync(shared) && existsSync(join(opts.dataDir, 'encoder-check.json'))) copyFileSync(join(opts.dataDir, 'encoder-check.json'), shared);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: opts.name,
    child,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    killHard: async () => {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

export interface Studio {
  dataDir: string;
  /** The served UI's address with its browser token (for Chromium). */
  url: string;
  client: RemoteClient;
  call<T>(name: string, input: unknown): Promise<T>;
  job(id: number): Promise<Job>;
  stop(): Promise<void>;
}

/** `church serve` with the lab on (through the environment), and a contract client attached to it. */
export async function startStudio(dataDir: string, redis: TestRedis | null, secretFile: string, opts: { cpu?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Studio> {
  const lab = redis ? { CHURCH_LAB_URL: redis.url, CHURCH_LAB_SECRET_FILE: secretFile, CHURCH_LAB_LISTEN: '127.0.0.1:0', CHURCH_LAB_ADVERTISE: '127.0.0.1', CHURCH_LAB_OFFLINE_MS: '4000' } : {};
  const serve = await startServe(dataDir, { ...opts.env, ...lab }, opts.cpu === undefined ? {} : { cpu: opts.cpu });
  const live = findLiveInstance(dataDir);
  if (!live) throw new Error('church serve wrote no instance file');
  const client = await connectRemote(live.port, live.token, 'cli');
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await client.invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  return {
    dataDir,
    url: serve.url,
    client,
    call,
    job: (id) => call<Job>('jobs.get', { id }),
    stop: async () => {
      client.close();
      await serve.stop();
    },
  };
}

type AgentOptions = Parameters<typeof startAgent>[0];

export interface LabCluster {
  /** The cluster's temp folder: Redis's files, the secret, the agents' data dirs (agent-<name>), the studio's. */
  readonly dir: string;
  readonly redis: TestRedis;
  /** The lab secret's file. */
  readonly secret: string;
  /** The studio started with startStudio (throws before). */
  readonly studio: Studio;
  readonly agents: AgentProc[];
  /** `church serve` on dir/studio with this cluster's lab on; stopped after the block. */
  startStudio(opts?: { dataDir?: string; lab?: boolean; env?: NodeJS.ProcessEnv }): Promise<Studio>;
  /** `church agent <name>` on this cluster's Redis (data in dir/agent-<name>, encoder checks cached in dir); stopped after the block. */
  startAgent(name: string, opts?: Partial<Omit<AgentOptions, 'name' | 'redis' | 'secretFile'>>): Promise<AgentProc>;
}

/**
 * The lab tests' common setup for one describe block: a redis-server and a lab secret in a temp folder before the
 * block's own beforeAll; the studio and agents it starts through the cluster are stopped after the block, agents
 * first, then the studio, then Redis.
 */
export function useLabCluster(prefix: string): LabCluster {
  const dir = tempDir(prefix);
  let redis: TestRedis | null = null;
  let secret = '';
  let studio: Studio | null = null;
  const agents: AgentProc[] = [];
  beforeAll(async () => {
    redis = await TestRedis.start(dir);
    secret = writeSecret(dir);
  }, 60_000);
  afterAll(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    await studio?.stop();
    await redis?.stop();
  });
  const started = <T>(what: string, v: T | null): T => {
    if (v === null) throw new Error(`the lab cluster's ${what} is not started yet`);
    return v;
  };
  return {
    dir,
    get redis() {
      return started('Redis', redis);
    },
    get secret() {
      return started('secret', secret || null);
    },
    get studio() {
      return started('studio', studio);
    },
    agents,
    async startStudio(opts = {}) {
      studio = await startStudio(opts.dataDir ?? join(dir, 'studio'), opts.lab === false ? null : started('Redis', redis), secret, { env: opts.env });
      return studio;
    },
    async startAgent(name, opts = {}) {
      const a = await startAgent({ dataDir: join(dir, `agent-${name}`), cacheDir: dir, ...opts, name, redis: started('Redis', redis), secretFile: secret });
      agents.push(a);
      return a;
    },
  };
}

/**
 * The cluster's studio, started with a minute-long clip imported, and the "slow" ffmpeg wrapper that encodes at the
 * clip's own pace: an encode outlasts every step of a kill, cancel or restart test.
 */
export async function studioWithMinuteClip(lab: LabCluster): Promise<{ slow: string; videoId: number }> {
  const slow = writeWrappers(lab.dir).slow;
  const media = join(lab.dir, 'media');
  mkdirSync(media);
  await makeClip(join(media, 'long.avi'), { seconds: 60, vcodec: 'mpeg4', audio: false, width: 160, height: 120 });
  const studio = await lab.startStudio();
  await studio.call('library.import', { paths: [join(media, 'long.avi')], assets: false });
  const videoId = (await studio.call<{ items: { id: number }[] }>('library.search', {})).items[0]!.id;
  return { slow, videoId };
}
