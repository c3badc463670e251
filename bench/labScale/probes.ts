import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
export { freePort } from '../../tests/helpers/freePort';

/**
 * What the lab-scale bench reads of the processes it runs: the studio's heap through its inspector (the studio is
 * started with --inspect on a loopback port; nothing else is asked of it), its CPU from /proc, Redis's own memory
 * figure, and the stand-in ffmpeg processes alive under the agents' work folders.
 */

/** A tiny Chrome DevTools Protocol client over the inspector's WebSocket (Node 22's global WebSocket). */
export class InspectorHeap {
  private next = 1;
  private readonly waiting = new Map<number, (v: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.result);
    });
  }

  static async connect(port: number): Promise<InspectorHeap> {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const ws = new WebSocket(list[0]!.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error('the studio\'s inspector refused the connection')), { once: true });
    });
    return new InspectorHeap(ws);
  }

  private send<T>(method: string): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve) => {
      this.waiting.set(id, (v) => resolve(v as T));
      this.ws.send(JSON.stringify({ id, method }));
    });
  }

  /** The live heap after a full GC (bytes): what the studio holds, not what it has yet to collect. */
  async liveHeapBytes(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    return (await this.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  }

  /** Starts V8's sampling profiler in the studio (its default interval, 1 ms). */
  async startProfile(): Promise<void> {
    await this.send('Profiler.enable');
    await this.send('Profiler.start');
  }

  /** Stops it; the functions that took the most CPU by their own time, as "ms function file:line". */
  async stopProfile(top = 12): Promise<string[]> {
    const { profile } = await this.send<{ profile: CpuProfile }>('Profiler.stop');
    return topSelfTime(profile, top);
  }

  close(): void {
    this.ws.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function topSelfTime(p: CpuProfile, top: number): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}${f.url ? `:${f.lineNumber + 1}` : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${Math.round(ms)} ms ${name}`);
}

/** used_memory of INFO memory: what Redis holds for its data and its clients. */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds of a process (user + system), and of its reaped children (the studio's ffprobe runs). */
export function cpuSeconds(pid: number): { self: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const at = (field: number) => Number(f[field - 3]);
  return { self: (at(14) + at(15)) / TICKS, children: (at(16) + at(17)) / TICKS };
}

/** Pids whose command line contains every one of `needles` (the stand-ins, by their output path under an agent's lab-work). */
export function pidsWithArg(...needles: string[]): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (needles.every((n) => cmdline.includes(n))) pids.push(Number(pid));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Still running: a zombie has ended (its parent has not reaped it yet). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export interface LinearFit {
  /** y per unit of x. */
  slope: number;
  intercept: number;
  r2: number;
  /** (last − first) ÷ mean of y: how much it moved at all. */
  change: number;
  /** Largest |residual| ÷ mean of y. */
  maxResidual: number;
  /**
   * A line explains it: no sample is more than 5 % (of the mean) off the fitted line. A flat series passes (slope
   * ≈ 0, where R² says nothing); growth that bends upwards (a cost per job that rises with the count) does not.
   */
  linear: boolean;
}

/** Least squares y = intercept + slope·x over the samples. */
export function linearFit(points: readonly { x: number; y: number }[]): LinearFit {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxx ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, p) => s + (p.y - my) ** 2, 0);
  const ssRes = points.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  const r2 = ssTot ? 1 - ssRes / ssTot : 1;
  const change = Math.abs(points[n - 1]!.y - points[0]!.y) / my;
  const maxResidual = Math.max(...points.map((p) => Math.abs(p.y - intercept - slope * p.x))) / my;
  return { slope, intercept, r2, change, maxResidual, linear: maxResidual <= 0.05 };
}
