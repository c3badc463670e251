/**
 * Items waiting to be written together: flushed when `size` have gathered, `maxWaitMs` after the first one
 * arrived, or when the owner calls flush(). `write` must not throw (a timer calls it).
 */
export class WriteBatch<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly size: number,
    private readonly maxWaitMs: number,
    private readonly write: (items: T[]) => void,
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.size) this.flush();
    else if (!this.timer) {
      // A slow import (ffprobe for every file) still lands its items within a moment of probing them.
      this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = this.items;
    if (items.length === 0) return;
    this.items = [];
    this.write(items);
  }
}
