/**
 * The avatar's cue model and the one function that decides what the avatar shows at a moment of a video.
 * Pure TypeScript (no DOM, no Node): the live overlay in the renderer and the baked overlay in the main process
 * both call `avatarStateAt`, so a file shows exactly what the preview showed.
 */

/** The built-in expressions (their looks and uses: expressions.ts); users add their own by name. */
export const AVATAR_EXPRESSIONS = ['neutral', 'happy', 'sad', 'surprised', 'angry', 'sleepy', 'wink', 'talking'] as const;
/** A built-in or a user expression's name (see expressions.ts). */
export type AvatarExpression = string;

export const AVATAR_CORNERS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;
export type AvatarCorner = (typeof AVATAR_CORNERS)[number];

/** Longest speech-bubble text; the bubble holds a few short lines. */
export const MAX_SAY_CHARS = 120;

/**
 * One cue on a video's track. A cue changes only what it names; the rest carries over from earlier cues
 * (so "say hello" does not reset the expression). `say: ''` clears the bubble.
 */
export interface AvatarCue {
  /** Stable id, so the editor can move and delete a cue and a live cue is applied once. */
  id: string;
  /** Seconds of video time at which the cue takes effect. */
  at: number;
  expression?: AvatarExpression;
  /** Overrides the overlay's default corner from here on. */
  corner?: AvatarCorner;
  /** Speech-bubble text from here on; '' hides the bubble. */
  say?: string;
  /** The bubble disappears this many seconds after the cue (default: it stays until a later cue changes it). */
  sayForSec?: number;
  /** Milliseconds over which a new expression fades in (0-2000, default 250). */
  fadeMs?: number;
  /** Box side as % of the frame's shorter side from here on (overrides the overlay's size). */
  sizePct?: number;
  /** Milliseconds over which a corner or size change eases in (0-5000, default 400). */
  moveMs?: number;
  /** The mouth moves as if speaking for this many seconds from the cue (a speech span). */
  speakSec?: number;
}

/** What the avatar shows at one moment. */
export interface AvatarState {
  expression: AvatarExpression;
  /** null: the overlay settings' corner. */
  corner: AvatarCorner | null;
  /** null: no bubble. */
  say: string | null;
}

export const DEFAULT_AVATAR_STATE: AvatarState = Object.freeze({ expression: 'neutral', corner: null, say: null }) as AvatarState;

/**
 * Cues in the order they apply: by time, and for equal times in track order (a later entry wins a tie,
 * so a cue appended "now" overrides one already at that instant).
 */
export function orderCues(cues: readonly AvatarCue[]): AvatarCue[] {
  return cues
    .map((cue, index) => ({ cue, index }))
    .sort((a, b) => a.cue.at - b.cue.at || a.index - b.index)
    .map((x) => x.cue);
}

/**
 * The avatar's state at video time t (seconds). Before the first cue, for t < 0 and for a non-number t it is
 * the default state; after the last cue the last state holds (a timed bubble still expires).
 * A cue at exactly t applies (state is right-continuous: it changes at the cue's instant).
 */
export function avatarStateAt(cues: readonly AvatarCue[], t: number): AvatarState {
  if (!(t >= 0)) return { ...DEFAULT_AVATAR_STATE };
  let expression: AvatarExpression = DEFAULT_AVATAR_STATE.expression;
  let corner: AvatarCorner | null = null;
  let say: string | null = null;
  let sayUntil = Infinity;
  for (const cue of orderCues(cues)) {
    if (!(cue.at <= t)) break;
    if (cue.expression !== undefined) expression = cue.expression;
    if (cue.corner !== undefined) corner = cue.corner;
    if (cue.say !== undefined) {
      say = cue.say === '' ? null : cue.say;
      sayUntil = cue.sayForSec !== undefined ? cue.at + cue.sayForSec : Infinity;
    }
  }
  if (t >= sayUntil) say = null;
  return { expression, corner, say };
}

export function sameAvatarState(a: AvatarState, b: AvatarState): boolean {
  return a.expression === b.expression && a.corner === b.corner && a.say === b.say;
}

/** A stretch of video time [start, end) during which the avatar shows one state. */
export interface AvatarSegment {
  start: number;
  end: number;
  state: AvatarState;
}

/**
 * The track cut into runs of one state over [0, durationSec): every instant where the state may change (a cue,
 * a bubble expiring) is a candidate boundary, the state of each run comes from `avatarStateAt`, and equal
 * neighbours are merged. The bake renders one picture per segment.
 */
export function avatarSegments(cues: readonly AvatarCue[], durationSec: number): AvatarSegment[] {
  if (!(durationSec > 0)) return [];
  const cuts = new Set<number>([0]);
  for (const c of cues) {
    if (c.at > 0 && c.at < durationSec) cuts.add(c.at);
    if (c.say !== undefined && c.sayForSec !== undefined) {
      const end = c.at + c.sayForSec;
      if (end > 0 && end < durationSec) cuts.add(end);
    }
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const segments: AvatarSegment[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? durationSec;
    const state = avatarStateAt(cues, start);
    const last = segments[segments.length - 1];
    if (last && sameAvatarState(last.state, state)) last.end = end;
    else segments.push({ start, end, state });
  });
  return segments;
}

/** A cue whose time is "now": the clock that knows the playhead (the open preview, or the saved playhead) fills it in. */
export function resolveCueTime<C extends { at?: number | 'now' }>(cue: C, nowSec: number): Omit<C, 'at'> & { at: number } {
  const at = cue.at === undefined || cue.at === 'now' ? nowSec : cue.at;
  return { ...cue, at: Math.max(0, at) };
}
