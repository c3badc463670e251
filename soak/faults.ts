import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegsUnder, listProcs, type Cluster } from './cluster';
import type { Rng } from './ledger';
import { FAST, type Workload } from './workload';

export const FAULT_KINDS = ['studio-kill', 'agent-kill', 'ffmpeg-kill', 'redis-restart', 'disk-full', 'stall'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRecord {
  /** Seconds after the workload started. */
  at: number;
  kind: FaultKind;
  detail: string;
  /** Milliseconds from the fault to everything killed running again. */
  recoveredMs: number;
  /** Set when the fault could not be injected (nothing to act on) or what it killed did not come back. */
  skipped?: string;
  error?: string;
}

/** Something a fault showed that breaks a promise, written down as it is seen (the invariants table lists them). */
export interface Observation {
  invariant: 'orphan-ffmpeg' | 'recovery' | 'disk-hold';
  detail: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The small disk: an `mb` MB tmpfs when this runs as root, or null (the fault is then skipped and says why). Over
 * 16 MiB, or the disk guard's headroom never lets a job start there (docs/soak.md, finding 1).
 */
export function mountSmallDisk(dir: string, mb: number): { path: string | null; why: string } {
  const path = join(dir, 'smalldisk');
  mkdirSync(path, { recursive: true });
  if (process.getuid?.() !== 0) return { path: null, why: 'not root: no tmpfs can be mounted, so the full-disk fault is skipped' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0755`, 'tmpfs', path], { stdio: 'pipe' });
    return { path, why: `a ${mb} MB tmpfs` };
  } catch (e) {
    return { path: null, why: `mount -t tmpfs failed (${String(e).split('\n')[0]}): the full-disk fault is skipped` };
  }
}

export function unmountSmallDisk(path: string | null): void {
  if (!path) return;
  try {
    execFileSync('umount', ['-l', path], { stdio: 'pipe' });
  } catch {
    // already gone
  }
}

/**
 * Injects one fault and restarts what it stopped. Every fault acts on a pid the harness started (or a child of
 * one), never on a process name. Waits are drawn from the seed too, so a replay makes the same choices.
 */
export class FaultInjector {
  readonly records: FaultRecord[] = [];
  readonly observations: Observation[] = [];
  private readonly watchers: Promise<void>[] = [];

  constructor(private readonly cluster: Cluster, private readonly rng: Rng, private readonly workload: Workload, private readonly smallDisk: string | null, private readonly t0: number) {}

  async inject(kind: FaultKind): Promise<FaultRecord> {
    const rec: FaultRecord = { at: Math.round((Date.now() - this.t0) / 1000), kind, detail: '', recoveredMs: 0 };
    const started = Date.now();
    try {
      await this.run(kind, rec);
    } catch (e) {
      rec.error = e instanceof Error ? e.message : String(e);
      this.observations.push({ invariant: 'recovery', detail: `${kind} at ${rec.at}s: ${rec.error}` });
    }
    rec.recoveredMs = Date.now() - started;
    this.records.push(rec);
    return rec;
  }

  /** Background checks started by faults (an orphan's lifetime) finish before the invariants are read. */
  async settle(): Promise<void> {
    await Promise.all(this.watchers);
  }

  private async run(kind: FaultKind, rec: FaultRecord): Promise<void> {
    switch (kind) {
      case 'studio-kill':
        return this.killStudio(rec);
      case 'agent-kill':
        return this.killAgent(rec);
      case 'ffmpeg-kill':
        return this.killFfmpeg(rec);
      case 'redis-restart':
        rec.detail = 'redis-server killed (-9) and started empty on the same port';
        return this.cluster.redis.restart();
      case 'disk-full':
        return this.fillDisk(rec);
      case 'stall':
        return this.stall(rec);
    }
  }

  private async killStudio(rec: FaultRecord): Promise<void> {
    const children = listProcs().filter((p) => p.ppid === this.cluster.studioChild?.pid && /ffmpeg/.test(p.cmdline)).map((p) => p.pid);
    await this.cluster.killStudio();
    const down = this.rng.int(500, 3000);
    rec.detail = `church serve killed (-9) with ${children.length} ffmpeg running; restarted after ${down} ms`;
    await pause(down);
    await this.cluster.startStudio();
    // The restarted studio ends the encodes its predecessor left behind (their output would be thrown away).
    if (children.length) this.watch(children, 'the killed studio', 15_000);
  }

  private async killAgent(rec: FaultRecord): Promise<void> {
    const name = this.rng.pick(this.cluster.agentNames);
    const group = await this.cluster.killAgent(name);
    const down = this.rng.int(500, 4000);
    rec.detail = `agent ${name} killed (-9, its process only) with ${group.length} child process(es); restarted after ${down} ms`;
    await pause(down);
    await this.cluster.startAgent(name);
    const ffmpegs = group.filter((pid) => listProcs().some((p) => p.pid === pid && /ffmpeg/.test(p.cmdline)));
    if (ffmpegs.length) this.watch(ffmpegs, `agent ${name}`, 2000);
  }

  /** Follows processes a dead parent left; one still running after `graceMs` is written down with how long it lived. */
  private watch(pids: number[], parent: string, graceMs: number): void {
    const from = Date.now();
    this.watchers.push(
      (async () => {
        await pause(graceMs);
        const alive = () => pids.filter((pid) => listProcs().some((p) => p.pid === pid && p.state !== 'Z'));
        if (!alive().length) return;
        while (alive().length && Date.now() - from < 120_000) await pause(250);
        this.observations.push({ invariant: 'orphan-ffmpeg', detail: `ffmpeg ${pids.join(', ')} outlived ${parent} by ${((Date.now() - from) / 1000).toFixed(1)} s${alive().length ? ' (still running after 120 s)' : ''}` });
      })(),
    );
  }

  private async killFfmpeg(rec: FaultRecord): Promise<void> {
    const until = Date.now() + 15_000;
    let running = ffmpegsUnder(this.cluster.dir);
    while (!running.length && Date.now() < until) {
      await pause(200);
      running = ffmpegsUnder(this.cluster.dir);
    }
    if (!running.length) {
      rec.skipped = 'no ffmpeg ran within 15 s';
      return;
    }
    const victim = this.rng.pick(running);
    const where = victim.cmdline.includes('/agent-') ? 'an agent' : victim.ppid === this.cluster.studioChild?.pid ? 'the studio' : `pid ${victim.ppid}`;
    rec.detail = `ffmpeg ${victim.pid} of ${where} killed (-9)`;
    try {
      process.kill(victim.pid, 'SIGKILL');
    } catch {
      rec.skipped = 'the chosen ffmpeg ended first';
    }
  }

  /** The disk fills up under a job's output folder; the job must wait (and say so), then finish once space is back. */
  private async fillDisk(rec: FaultRecord): Promise<void> {
    if (!this.smallDisk) {
      rec.skipped = 'no small disk (see the run header)';
      return;
    }
    const clip = [...this.workload.ids.values()][0];
    if (clip === undefined) {
      rec.skipped = 'no clip imported yet';
      return;
    }
    const filler = join(this.smallDisk, `filler-${rec.at}`);
    const st = statfsSync(this.smallDisk);
    const fill = Math.max(0, st.bavail * st.bsize - 32 * 1024);
    const fd = openSync(filler, 'w');
    try {
      const block = Buffer.alloc(64 * 1024, 0x5a);
      for (let left = fill; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(block.length, left));
    } finally {
      closeSync(fd);
    }
    const outDir = join(this.smallDisk, 'out');
    mkdirSync(outDir, { recursive: true });
    // A low rate cap keeps the output's estimate (rate × duration, plus the disk's headroom) under what the disk holds once freed.
    const job = await this.workload.enqueueJob('smalldisk', { videoId: clip, preset: 'web', params: { ...FAST, chunkSeconds: 0, maxrateKbps: 400 }, outDir });
    const held = job ? await this.heldForSpace(job.id) : 'the enqueue got no answer';
    const full = this.rng.int(3000, 8000);
    rec.detail = `${(fill / 1024).toFixed(0)} KiB filler on the small disk, job ${job?.id ?? '?'} queued there: ${held}; space freed after ${full} ms`;
    await pause(full);
    rmSync(filler, { force: true });
  }

  private async heldForSpace(id: number): Promise<string> {
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      const j = await this.cluster.client.call('jobs.get', { id }).catch(() => null);
      if (j?.waiting) return `held for space (${JSON.stringify(j.waiting)})`;
      // A job is `running` while it is prepared (the guard decides then): only an encode under way, or an end,
      // shows it went ahead without a hold.
      const encoding = j?.status === 'running' && (j.progress?.outTimeSec ?? 0) > 0;
      if (j && (encoding || ['done', 'failed', 'cancelled'].includes(j.status))) {
        this.observations.push({ invariant: 'disk-hold', detail: `job ${id} on a full disk went ${j.status} without a visible hold${j.error ? `: ${j.error}` : ''}` });
        return `not held: ${j.status}`;
      }
      await pause(250);
    }
    this.observations.push({ invariant: 'disk-hold', detail: `job ${id} on a full disk stayed plain queued for 15 s: no hold or reason shown` });
    return 'plain queued, no hold shown';
  }

  /** A peer stops answering without closing its connections (SIGSTOP), then carries on (SIGCONT). */
  private async stall(rec: FaultRecord): Promise<void> {
    const target = this.rng.pick(['redis', ...this.cluster.agentNames]);
    const pid = target === 'redis' ? listProcs().find((p) => /redis-server/.test(p.cmdline) && p.cmdline.includes(`:${this.cluster.redis.port}`))?.pid : this.cluster.agents.get(target)?.child.pid;
    if (!pid) {
      rec.skipped = `no process for ${target}`;
      return;
    }
    const ms = this.rng.int(4000, 10_000);
    rec.detail = `${target === 'redis' ? 'redis-server' : `agent ${target}`} stopped (SIGSTOP) for ${ms} ms`;
    process.kill(pid, 'SIGSTOP');
    try {
      await pause(ms);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }
}
