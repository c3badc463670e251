import { rmSync } from 'node:fs';
import type { RunLog, RunPort } from '../executor';
import type { ProcessControl } from '../ffmpegProcess';
import type { ActiveRun, SlotRequest } from '../runState';
import type { ChunkProgress } from './chunkProgress';
import { UnitFailed, type ChunkUnit, type UnitRunner } from './chunkUnit';

export interface UnitSchedule {
  run: ActiveRun;
  port: RunPort;
  /** The units still to run, in order. */
  pending: ChunkUnit[];
  runUnit: UnitRunner;
  progress: ChunkProgress;
  /** After a unit's file is in place: checks it and records it done (throws UnitFailed when it is not right). */
  finishUnit(u: ChunkUnit): Promise<void>;
}

/** How the units ended: all done, stopped, or the first failure; the last failed unit's log either way. */
export interface UnitsEnd {
  stopped: boolean;
  failure: unknown;
  lastLog: RunLog;
}

interface Flight {
  handle: ProcessControl | null;
  /** Ended by a pause: its unit goes back to the pending list instead of failing the job. */
  released: boolean;
}

/**
 * Runs a chunked job's units through the queue's slots: the job's own slot, plus one more per slot the queue
 * grants (requested while units are pending, in the queue's priority order). Pause ends the unit processes
 * (their units run again after resume); stop ends them; the first failure ends the others.
 */
export class UnitScheduler {
  private readonly flights = new Map<ChunkUnit, Flight>();
  private paused: boolean;
  private stopped = false;
  private failure: unknown = null;
  private lastLog: RunLog = { logTail: '', exitCode: null };
  private wakeUp: (() => void) | null = null;
  private readonly requests = new Set<SlotRequest>();
  private readonly extraWorkers = new Set<Promise<void>>();
  private readonly pauseGrace: number;

  constructor(private readonly s: UnitSchedule) {
    this.paused = s.port.isPaused();
    this.pauseGrace = s.port.cancelGraceMs;
  }

  /** Runs every pending unit (or until stopped or failed), with the run's pause and stop wired to them. */
  async runAll(): Promise<UnitsEnd> {
    const { run, port } = this.s;
    run.control = {
      pause: () => this.pause(),
      resume: () => {
        this.paused = false;
        this.changed();
        this.topUp();
      },
      stop: (graceMs) => {
        this.stopped = true;
        for (const f of this.flights.values()) f.handle?.terminate(graceMs);
        this.changed();
      },
    };
    if (run.stopReason) this.stopped = true;
    // The queue was paused before this run could take pause requests: it holds no process, so it is paused.
    if (this.paused) port.showPaused();
    try {
      this.s.progress.publish(true);
      this.topUp();
      await this.ownSlot();
    } finally {
      for (const r of this.requests) r.cancel();
      this.requests.clear();
      while (this.extraWorkers.size > 0) await Promise.all([...this.extraWorkers]);
      run.control = null;
    }
    return { stopped: this.stopped, failure: this.failure, lastLog: this.lastLog };
  }

  private pause(): void {
    this.paused = true;
    // Released, not suspended: a paused chunked job holds no process, and quitting now loses nothing finished.
    for (const f of this.flights.values()) {
      f.released = true;
      f.handle?.terminate(this.pauseGrace);
    }
    this.changed();
  }

  /** The job's own slot: runs units like any extra one, and waits through pauses. */
  private async ownSlot(): Promise<void> {
    const { pending } = this.s;
    for (;;) {
      if (this.stopped || this.failure !== null) break;
      if (pending.length === 0 && this.flights.size === 0) break;
      if (this.paused || pending.length === 0) {
        await this.nextChange();
        continue;
      }
      await this.runOne();
    }
  }

  private changed(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((r) => (this.wakeUp = r));
  }

  private halted(): boolean {
    return this.paused || this.stopped || this.failure !== null;
  }

  /** Runs one pending unit; false when there was none to run. */
  private async runOne(): Promise<boolean> {
    const { pending, progress } = this.s;
    const u = pending.shift();
    if (!u) return false;
    const f: Flight = { handle: null, released: false };
    this.flights.set(u, f);
    progress.started(u);
    this.topUp();
    try {
      await this.s.runUnit(u, {
        onStart: (h) => {
          f.handle = h;
          if (this.paused || this.stopped) {
            f.released = this.paused;
            h.terminate(this.pauseGrace);
          }
        },
        onProgress: (snap) => progress.report(u, snap),
      });
      await this.s.finishUnit(u);
      this.flights.delete(u);
      progress.finished(u);
    } catch (e) {
      this.flights.delete(u);
      progress.dropped(u);
      rmSync(u.partPath, { force: true });
      if (e instanceof UnitFailed) this.lastLog = { logTail: e.logTail, exitCode: e.exitCode };
      if (f.released && !this.stopped) pending.unshift(u);
      else if (!this.stopped) {
        this.failure ??= e;
        for (const other of this.flights.values()) other.handle?.terminate(this.pauseGrace);
      }
    } finally {
      this.changed();
    }
    return true;
  }

  /** Asks the queue for a slot per pending unit not yet covered; a granted slot runs units until none is left. */
  private topUp(): void {
    const { port, pending } = this.s;
    while (!this.halted() && this.extraWorkers.size + this.requests.size < pending.length) {
      const req = port.requestSlot();
      this.requests.add(req);
      void req.granted.then((slot) => {
        this.requests.delete(req);
        if (this.halted() || pending.length === 0) {
          slot.release();
          return;
        }
        const w = (async () => {
          try {
            while (!this.halted() && (await this.runOne()));
          } finally {
            slot.release();
          }
        })();
        this.extraWorkers.add(w);
        void w.finally(() => {
          this.extraWorkers.delete(w);
          this.changed();
        });
      });
    }
  }
}
