import type { JobProgress } from '../../../shared/dto/jobs';
import { progressFigures, type ProgressSnapshot } from './progressParser';
import type { ActiveRun } from './runState';

/**
 * Turns an ffmpeg progress snapshot into the run's live progress; returns it when it is due as an event (at
 * most once per intervalMs, and always at the end), else null.
 */
export function recordProgress(run: ActiveRun, s: ProgressSnapshot, intervalMs: number, host?: string): JobProgress | null {
  // An end without a position (a lab agent's upload finished elsewhere) keeps what was last reported.
  const last = s.end && s.outTimeSec === null ? run.progress : null;
  const { percent, etaSec } = last ?? progressFigures(s, run.durationSec, (Date.now() - run.startedMs) / 1000);
  run.progress = { jobId: run.jobId, percent, etaSec, fps: s.fps ?? last?.fps ?? null, speed: s.speed ?? last?.speed ?? null, outTimeSec: s.outTimeSec ?? last?.outTimeSec ?? null, ...(host ? { host } : {}) };
  const now = Date.now();
  if (!s.end && now - run.lastEmit < intervalMs) return null;
  run.lastEmit = now;
  return run.progress;
}
