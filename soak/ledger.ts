/** A seeded generator (mulberry32): the same seed makes the same choices in the same order. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** A key of `weights` chosen in proportion to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
}

export interface Curation {
  rating: number;
  tags: string[];
  notes: string;
}

export type JobMode = 'lab' | 'chunked' | 'local' | 'smalldisk';

/**
 * What the harness knows it wrote. A call whose answer was lost to a fault is "unacknowledged": it may or may
 * not have landed, so at the end the harness sends it again (every write here is idempotent) before comparing.
 */
export class Ledger {
  /** Clip files asked to be imported, by path: acked when the import answered. */
  readonly clips = new Map<string, { acked: boolean; seconds: number }>();
  /** The curation last asked for, by clip path. */
  readonly curation = new Map<string, Curation & { acked: boolean }>();
  /** Jobs queued and acknowledged, by id. */
  readonly jobs = new Map<number, { mode: JobMode; videoId: number }>();
  /** Enqueue calls that got no answer (a job may exist that the harness never heard of: the end check lists all). */
  lostEnqueues = 0;
  /** Local snapshots taken (the ids backup.run answered with). */
  readonly backups: string[] = [];
  readonly backupFailures: string[] = [];
  syncs = { ok: 0, failed: 0 };
  /** Calls refused or lost during faults, by request name. */
  readonly lostCalls: Record<string, number> = {};
  /** Actions done, by kind. */
  readonly actions: Record<string, number> = {};

  lost(name: string): void {
    this.lostCalls[name] = (this.lostCalls[name] ?? 0) + 1;
  }
  did(action: string): void {
    this.actions[action] = (this.actions[action] ?? 0) + 1;
  }
}

export interface InvariantResult {
  name: string;
  held: boolean;
  /** What was checked (counts). */
  checked: string;
  /** Each break, with what to look at. */
  breaks: string[];
}
