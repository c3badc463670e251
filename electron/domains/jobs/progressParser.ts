/** One block of ffmpeg's `-progress` output (it writes key=value lines and ends each block with progress=…). */
export interface ProgressSnapshot {
  outTimeSec: number | null;
  fps: number | null;
  speed: number | null;
  frame: number | null;
  /** True for the last block (progress=end). */
  end: boolean;
}

function num(v: string | undefined): number | null {
  if (v === undefined || v === 'N/A' || v === '') return null;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Incremental parser for `-progress pipe:1`: feed it stdout chunks as they arrive (lines may be split across
 * chunks); it calls `onBlock` once per complete block.
 */
export class ProgressParser {
  private pending = '';
  private fields = new Map<string, string>();

  constructor(private readonly onBlock: (s: ProgressSnapshot) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).trim();
      this.pending = this.pending.slice(nl + 1);
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).trim();
      if (key === 'progress') {
        this.onBlock(this.snapshot(value === 'end'));
        this.fields.clear();
      } else {
        this.fields.set(key, value);
      }
    }
    // A line without a newline this long is not progress output; drop it rather than grow without bound.
    if (this.pending.length > 4096) this.pending = '';
  }

  private snapshot(end: boolean): ProgressSnapshot {
    const f = this.fields;
    // out_time_us is the precise one; out_time_ms is (despite its name) also microseconds in ffmpeg.
    const us = num(f.get('out_time_us')) ?? num(f.get('out_time_ms'));
    const speed = f.get('speed');
    return {
      outTimeSec: us !== null && us >= 0 ? us / 1e6 : null,
      fps: num(f.get('fps')),
      speed: speed ? num(speed.replace(/x$/, '')) : null,
      frame: num(f.get('frame')),
      end,
    };
  }
}

/**
 * Percent and ETA from a snapshot: ETA from the encoding speed when known, else from elapsed time. The last block
 * (progress=end) is written however ffmpeg stopped, a cancel's SIGTERM included: its percent is what was encoded,
 * never a 100 it did not reach (a job shows 100 % only once it is done).
 */
export function progressFigures(s: ProgressSnapshot, durationSec: number | null, elapsedSec: number): { percent: number | null; etaSec: number | null } {
  if (durationSec === null || durationSec <= 0 || s.outTimeSec === null) return { percent: null, etaSec: null };
  const fraction = Math.min(1, Math.max(0, s.outTimeSec / durationSec));
  if (s.end) return { percent: Math.round(fraction * 1000) / 10, etaSec: null };
  const left = durationSec - Math.min(durationSec, s.outTimeSec);
  let etaSec: number | null = null;
  if (s.speed !== null && s.speed > 0) etaSec = left / s.speed;
  else if (fraction > 0.01) etaSec = (elapsedSec / fraction) * (1 - fraction);
  return { percent: Math.round(fraction * 1000) / 10, etaSec: etaSec === null ? null : Math.round(etaSec * 10) / 10 };
}
