import type { JobProgress } from '../../../../shared/dto/jobs';
import type { ProgressSnapshot } from '../progressParser';
import type { ChunkUnit } from './chunkUnit';

/**
 * A chunked job's whole-job progress from its units: seconds finished (earlier attempts' included) plus the
 * seconds the running units report, its speed since this attempt started, and the chunk counts.
 */
export class ChunkProgress {
  private readonly live = new Map<ChunkUnit, { outSec: number; fps: number | null }>();
  readonly totalSec: number;
  private doneSec: number;
  private readonly doneAtStart: number;
  private doneVideo: number;
  private readonly videoTotal: number;
  private readonly startedMs = Date.now();

  constructor(
    private readonly jobId: number,
    units: readonly ChunkUnit[],
    done: ReadonlySet<string>,
    private readonly publishTo: (p: JobProgress, force: boolean) => void,
  ) {
    this.totalSec = units.reduce((s, u) => s + u.durationSec, 0);
    this.doneSec = units.filter((u) => done.has(u.name)).reduce((s, u) => s + u.durationSec, 0);
    this.doneAtStart = this.doneSec;
    const video = units.filter((u) => u.kind === 'video');
    this.videoTotal = video.length;
    this.doneVideo = video.filter((u) => done.has(u.name)).length;
  }

  started(u: ChunkUnit): void {
    this.live.set(u, { outSec: 0, fps: null });
  }

  report(u: ChunkUnit, s: ProgressSnapshot): void {
    const f = this.live.get(u);
    if (f) {
      f.outSec = s.outTimeSec ?? f.outSec;
      f.fps = s.fps;
    }
    this.publish();
  }

  finished(u: ChunkUnit): void {
    this.doneSec += u.durationSec;
    if (u.kind === 'video') this.doneVideo++;
    this.live.delete(u);
    this.publish();
  }

  dropped(u: ChunkUnit): void {
    this.live.delete(u);
  }

  publish(force = false): void {
    const inFlightSec = [...this.live.entries()].reduce((s, [u, f]) => s + Math.min(f.outSec, u.durationSec), 0);
    const at = this.doneSec + inFlightSec;
    const elapsed = (Date.now() - this.startedMs) / 1000;
    const rate = elapsed > 0 ? (at - this.doneAtStart) / elapsed : 0;
    const fps = [...this.live.values()].reduce((s, f) => s + (f.fps ?? 0), 0);
    const running = [...this.live.keys()].filter((u) => u.kind === 'video').length;
    this.publishTo({
      jobId: this.jobId,
      percent: this.totalSec > 0 ? Math.min(99.9, Math.round((at / this.totalSec) * 1000) / 10) : null,
      fps: fps > 0 ? fps : null,
      speed: rate > 0 ? Math.round(rate * 100) / 100 : null,
      etaSec: rate > 0 && at > this.doneAtStart ? Math.round(((this.totalSec - at) / rate) * 10) / 10 : null,
      outTimeSec: at,
      chunks: { done: this.doneVideo, running, total: this.videoTotal },
    }, force);
  }
}
