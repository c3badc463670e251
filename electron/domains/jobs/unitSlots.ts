import type { Slot, SlotRequest } from './runState';

/** A unit of a running job (a chunk) waiting for a queue slot. */
export interface SlotWaiter {
  jobId: number;
  priority: number;
  grant(s: Slot): void;
}

/**
 * The queue slots held by extra units of running jobs (on top of one per active job), and the units waiting for
 * one. The engine's scheduler decides who goes next; this keeps the count honest (a slot is released once).
 */
export class UnitSlots {
  private extra = 0;
  private readonly waiters: SlotWaiter[] = [];

  /** changed: a slot was asked for or released, so the scheduler should look again. */
  constructor(private readonly changed: () => void) {}

  /** Slots held by units now. */
  get held(): number {
    return this.extra;
  }

  request(jobId: number, priority: number): SlotRequest {
    let waiter!: SlotWaiter;
    const granted = new Promise<Slot>((resolve) => {
      waiter = { jobId, priority, grant: resolve };
    });
    this.waiters.push(waiter);
    setImmediate(this.changed);
    return {
      granted,
      cancel: () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
      },
    };
  }

  /** The waiting unit first in queue order (priority, then the older job) among jobs still running. */
  first(running: (jobId: number) => boolean): SlotWaiter | undefined {
    return this.waiters.filter((w) => running(w.jobId)).sort((a, b) => b.priority - a.priority || a.jobId - b.jobId)[0];
  }

  grant(waiter: SlotWaiter): void {
    this.waiters.splice(this.waiters.indexOf(waiter), 1);
    this.extra++;
    let released = false;
    waiter.grant({
      release: () => {
        if (released) return;
        released = true;
        this.extra--;
        setImmediate(this.changed);
      },
    });
  }
}
