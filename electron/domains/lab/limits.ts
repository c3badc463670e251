/**
 * How long the lab's signed things stay good, and how large an upload may be. One place, so the studio that signs
 * and the agent that checks agree, and docs/lab.md can name each figure.
 */

/** A control message (cancel, pause, kill) is acted on within this many ms of being signed, either way (clock skew). */
export const CONTROL_MAX_AGE_MS = 10_000;

/** The longest any lab job may take (its envelope and transfer URLs expire with it); also the agent's hard cap. */
export const LAB_JOB_MAX_MS = 48 * 3600_000;
/** Time a job may spend waiting for an agent, being set up and uploaded, besides its encode. */
const LAB_JOB_BASE_MS = 3600_000;
/** An encode may run this many times slower than real time (a slow preset on a small host) before its time is up. */
const SLOWER_THAN_REAL_TIME = 20;
/** A job whose length is unknown gets this long. */
const LAB_JOB_UNKNOWN_MS = 24 * 3600_000;

/**
 * A lab job's own timeout: its signed envelope (and so a stalled job's takeover) and its source and upload URLs
 * are good for this long after it is queued, never for days.
 */
export function labJobTimeoutMs(durationSec: number | null): number {
  if (durationSec === null || !Number.isFinite(durationSec) || durationSec <= 0) return LAB_JOB_UNKNOWN_MS;
  return Math.min(LAB_JOB_MAX_MS, LAB_JOB_BASE_MS + Math.ceil(durationSec * 1000 * SLOWER_THAN_REAL_TIME));
}

/**
 * A nonce must be remembered while its message could still pass the age check: the message is good from
 * ts − maxAge to ts + maxAge, so twice the age, plus a second for the round trip.
 */
export function nonceTtlMs(maxAgeMs: number): number {
  return 2 * maxAgeMs + 1000;
}

/** Over the engine's own estimate (which already adds 10 %): encoders overshoot. */
export const UPLOAD_MARGIN = 2;
/** Added to an estimated cap, so a short output (seconds) is not held to a few hundred kB. */
const ESTIMATED_SLACK_BYTES = 16 * 1024 * 1024;
/** For a unit whose output was not estimated (a chunk): at most twice its source plus this. */
const UNESTIMATED_SLACK_BYTES = 256 * 1024 * 1024;

/** The most bytes an agent may upload for one output. */
export function uploadCapBytes(estimateBytes: number | null | undefined, sourceBytes: number): number {
  if (estimateBytes && estimateBytes > 0) return Math.ceil(estimateBytes * UPLOAD_MARGIN) + ESTIMATED_SLACK_BYTES;
  return Math.ceil(sourceBytes * UPLOAD_MARGIN + UNESTIMATED_SLACK_BYTES);
}
