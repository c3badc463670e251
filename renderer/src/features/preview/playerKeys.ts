/**
 * The video page's keys, as in most players and editors: Space and K play/pause, J/L jump 10 s back/forward,
 * ←/→ step one frame (pausing first), F toggles fullscreen. Pure, so the mapping is tested without a browser.
 */
export type PlayerKeyAction = { kind: 'toggle' } | { kind: 'pause' } | { kind: 'seekBy'; seconds: number } | { kind: 'frame'; frames: number } | { kind: 'fullscreen' };

export const JUMP_SEC = 10;

export function playerKeyAction(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): PlayerKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case ' ':
    case 'k':
    case 'K':
      return { kind: 'toggle' };
    case 'j':
    case 'J':
      return { kind: 'seekBy', seconds: -JUMP_SEC };
    case 'l':
    case 'L':
      return { kind: 'seekBy', seconds: JUMP_SEC };
    case 'ArrowLeft':
      return { kind: 'frame', frames: -1 };
    case 'ArrowRight':
      return { kind: 'frame', frames: 1 };
    case 'f':
    case 'F':
      return { kind: 'fullscreen' };
    default:
      return null;
  }
}

/** Where a frame step lands: on the frame grid of the video's rate, clamped to the video. */
export function frameStepTarget(current: number, frames: number, fps: number | null, duration: number | null): number {
  const rate = fps && fps > 0 ? fps : 25;
  const frame = Math.round(current * rate) + frames;
  const t = frame / rate;
  const end = duration && duration > 0 ? Math.max(0, duration - 1 / rate) : Infinity;
  return Math.min(end, Math.max(0, t));
}
