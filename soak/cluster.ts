import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLiveInstance } from '../electron/host/instance';
import { connectRemote, type RemoteClient } from '../electron/host/transports/remoteClient';
import { createClient, type ContractClient } from '../shared/contract/client';
import { startServe } from '../tests/helpers/cli';
import { FakeStripe } from '../tests/helpers/fakeStripe';
import { startAgent, writeSecret, type AgentProc } from '../tests/helpers/lab';
import { TestRedis } from '../tests/helpers/redis';

/**
 * The soak's real parts: a redis-server, the stand-in Stripe server, `church serve` as a child process (so it can
 * be killed with -9 and started again on the same data dir) and two `church agent` processes. Every process is
 * reachable by pid, because the faults act on pids, never on names.
 */
export class Cluster {
  redis!: TestRedis;
  readonly stripe = new FakeStripe();
  stripeKey = '';
  secret = '';
  studioChild: ChildProcess | null = null;
  private studioStop: (() => Promise<void>) | null = null;
  private transport: RemoteClient | null = null;
  private clientValue: ContractClient | null = null;
  readonly agents = new Map<string, AgentProc>();
  readonly studioDir: string;

  constructor(readonly dir: string, readonly agentNames: string[]) {
    this.studioDir = join(dir, 'studio');
  }

  async start(): Promise<void> {
    mkdirSync(this.studioDir, { recursive: true });
    this.redis = await TestRedis.start(this.dir);
    this.secret = writeSecret(this.dir);
    await this.stripe.start();
    this.stripeKey = this.stripe.addKey({ permissions: 'all' }, 'live');
    await this.startStudio();
    for (const name of this.agentNames) await this.startAgent(name);
  }

  private studioEnv(): NodeJS.ProcessEnv {
    return {
      CHURCH_NO_ATTACH: '1',
      CHURCH_LAB_URL: this.redis.url,
      CHURCH_LAB_SECRET_FILE: this.secret,
      CHURCH_LAB_LISTEN: '127.0.0.1:0',
      CHURCH_LAB_ADVERTISE: '127.0.0.1',
      CHURCH_LAB_OFFLINE_MS: '4000',
      STRIPE_API_BASE: this.stripe.base,
      STRIPE_API_KEY: this.stripeKey,
    };
  }

  async startStudio(): Promise<void> {
    const serve = await startServe(this.studioDir, this.studioEnv());
    this.studioChild = serve.child;
    this.studioStop = serve.stop;
    // A studio killed with -9 still has its pipes: drain them so it never blocks on a full one.
    serve.child.stdout?.resume();
    await this.connect();
  }

  private async connect(): Promise<void> {
    const live = findLiveInstance(this.studioDir);
    if (!live) throw new Error('church serve wrote no instance file');
    this.transport = await connectRemote(live.port, live.token, 'cli');
    this.clientValue = createClient(this.transport);
  }

  studioUp(): boolean {
    const c = this.studioChild;
    return c !== null && c.exitCode === null && c.signalCode === null;
  }

  /** The contract client of the running studio; throws while it is down (a fault is being injected). */
  get client(): ContractClient {
    if (!this.clientValue || !this.studioUp()) throw new Error('the studio is down');
    return this.clientValue;
  }

  /** kill -9 of the studio's own process (its ffmpeg children are left to the restarted studio's recovery). */
  async killStudio(): Promise<void> {
    const c = this.studioChild;
    this.transport?.terminate();
    this.transport = null;
    this.clientValue = null;
    if (!c || !this.studioUp()) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    process.kill(c.pid!, 'SIGKILL');
    await exited;
  }

  async startAgent(name: string): Promise<AgentProc> {
    const a = await startAgent({ redis: this.redis, secretFile: this.secret, name, dataDir: this.agentDir(name), cacheDir: this.dir });
    a.child.stdout?.resume();
    this.agents.set(name, a);
    return a;
  }

  agentDir(name: string): string {
    return join(this.dir, `agent-${name}`);
  }

  /** kill -9 of the agent's process alone, as the OOM killer or a crash would: what its ffmpeg does then is the agent's to handle. */
  async killAgent(name: string): Promise<number[]> {
    const a = this.agents.get(name);
    if (!a || a.child.exitCode !== null || a.child.signalCode !== null) return [];
    const group = processGroup(a.child.pid!).filter((p) => p !== a.child.pid);
    const exited = new Promise<void>((r) => a.child.once('exit', () => r()));
    process.kill(a.child.pid!, 'SIGKILL');
    await exited;
    return group;
  }

  async stop(): Promise<void> {
    for (const a of this.agents.values()) await a.stop().catch(() => undefined);
    this.transport?.close();
    await this.studioStop?.().catch(() => undefined);
    await this.redis?.stop().catch(() => undefined);
    await this.stripe.stop().catch(() => undefined);
  }
}

/** Pids whose process group is `pgid` (read from /proc: field 5 of stat). */
export function processGroup(pgid: number): number[] {
  return listProcs().filter((p) => p.pgid === pgid).map((p) => p.pid);
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  cmdline: string;
}

export function listProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSafe(`/proc/${name}/stat`);
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), state: rest[0]!, ppid: Number(rest[1]), pgid: Number(rest[2]), cmdline: readFileSafe(`/proc/${name}/cmdline`).replace(/\0/g, ' ') });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/** ffmpeg processes (not zombies) whose command line names a path under `root`, but not the harness's own clip maker. */
export function ffmpegsUnder(root: string): ProcInfo[] {
  return listProcs().filter((p) => p.state !== 'Z' && p.ppid !== process.pid && /(^|\/)ffmpeg /.test(p.cmdline) && p.cmdline.includes(root));
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
function readFileSafe(file: string): string {
  return readFileSync(file, 'utf8');
}
