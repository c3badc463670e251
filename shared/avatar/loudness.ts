/**
 * Lip sync: a video's audio as a loudness track (RMS per short window, normalised to the loudest window) and
 * the rule that turns it into a mouth opening. The main process measures the track once with ffmpeg; the
 * preview and the bake read the same numbers, so they open and close the mouth at the same frames.
 */

export interface LoudnessTrack {
  /** Length of one window in seconds (0.02). */
  windowSec: number;
  /** One value per window, 0..100: the window's RMS as a percentage of the loudest window's. */
  levels: number[];
}

export const LOUDNESS_WINDOW_SEC = 0.02;
/** The mouth stays open this long after the sound falls (so it does not flicker between syllables). */
export const MOUTH_HOLD_SEC = 0.12;
/** Loudness (% of the loudest window) from which the mouth opens 1, 2 or 3 steps. */
export const MOUTH_THRESHOLDS = [15, 35, 60] as const;

/** Normalised levels from raw RMS values: the loudest window is 100, silence 0 (all zero when all silent). */
export function normaliseLoudness(rms: readonly number[], windowSec = LOUDNESS_WINDOW_SEC): LoudnessTrack {
  let peak = 0;
  for (const r of rms) if (r > peak) peak = r;
  return { windowSec, levels: rms.map((r) => (peak > 0 ? Math.round((r / peak) * 100) : 0)) };
}

/** RMS of each window of mono float samples. */
export function rmsWindows(samples: Float32Array, sampleRate: number, windowSec = LOUDNESS_WINDOW_SEC): number[] {
  const n = Math.max(1, Math.round(sampleRate * windowSec));
  const out: number[] = [];
  for (let start = 0; start < samples.length; start += n) {
    const end = Math.min(samples.length, start + n);
    let sum = 0;
    for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
    out.push(Math.sqrt(sum / (end - start)));
  }
  return out;
}

function levelOf(v: number): 0 | 1 | 2 | 3 {
  return v >= MOUTH_THRESHOLDS[2] ? 3 : v >= MOUTH_THRESHOLDS[1] ? 2 : v >= MOUTH_THRESHOLDS[0] ? 1 : 0;
}

/** The mouth at t: the widest opening of the windows from t - hold to t (the hold before closing). */
export function mouthFromLoudness(track: LoudnessTrack, t: number, holdSec = MOUTH_HOLD_SEC): 0 | 1 | 2 | 3 {
  if (!(t >= 0) || track.levels.length === 0 || !(track.windowSec > 0)) return 0;
  const i = Math.floor(t / track.windowSec + 1e-9);
  if (i >= track.levels.length) return 0;
  const first = Math.max(0, i - Math.round(holdSec / track.windowSec));
  let best: 0 | 1 | 2 | 3 = 0;
  for (let k = first; k <= i; k++) {
    const l = levelOf(track.levels[k]!);
    if (l > best) best = l;
  }
  return best;
}
