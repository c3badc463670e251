import type { MetricUnit, Reading } from '../../../shared/dto/monitor';

interface Column {
  label: string;
  unit: MetricUnit;
  /** NaN marks "unavailable" in that slot. */
  values: Float64Array;
  /** Samples in a row this series was not part of; at `capacity` every slot is NaN and the column goes. */
  missing: number;
}

/**
 * The last `capacity` samples at full rate, stored by column (one Float64Array per series) so an hour at 1 Hz
 * costs ~28 kB per series and no garbage per sample. A series that appears later has NaN before it appeared; a
 * series absent for `capacity` samples in a row (a removed container's mount or interface) has nothing left in the
 * window, so its column is dropped: memory follows the series present in the last window, not every one ever seen.
 */
export class SampleRing {
  private readonly times: Float64Array;
  private readonly columns = new Map<string, Column>();
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** How many series have a column (tests: it must come back down when series go away). */
  get columnCount(): number {
    return this.columns.size;
  }

  push(at: number, readings: Reading[]): void {
    const slot = this.next;
    this.times[slot] = at;
    const seen = new Set<string>();
    for (const r of readings) {
      let col = this.columns.get(r.id);
      if (!col) {
        col = { label: r.label, unit: r.unit, values: new Float64Array(this.capacity).fill(Number.NaN), missing: 0 };
        this.columns.set(r.id, col);
      }
      col.values[slot] = r.value ?? Number.NaN;
      col.missing = 0;
      seen.add(r.id);
    }
    for (const [id, col] of this.columns) {
      if (seen.has(id)) continue;
      col.values[slot] = Number.NaN;
      if (++col.missing >= this.capacity) this.columns.delete(id);
    }
    this.next = (slot + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Points of one series at or after `since`, oldest first; null for unknown series. */
  series(id: string, since: number): { label: string; unit: MetricUnit; points: [number, number | null][] } | null {
    const col = this.columns.get(id);
    if (!col) return null;
    const points: [number, number | null][] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const slot = (start + i) % this.capacity;
      const t = this.times[slot]!;
      if (t < since) continue;
      const v = col.values[slot]!;
      points.push([t, Number.isNaN(v) ? null : v]);
    }
    return { label: col.label, unit: col.unit, points };
  }

  oldest(): number | null {
    if (this.count === 0) return null;
    return this.times[(this.next - this.count + this.capacity) % this.capacity]!;
  }
}
