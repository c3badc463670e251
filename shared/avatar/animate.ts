/**
 * The avatar in motion: what one frame of video shows, including the parts that change between cues (an
 * expression fading in, the box easing to another corner or size, the bubble typing in, the mouth following
 * loudness or a speech span, a blink). Pure and deterministic: the preview evaluates it at the frame the
 * player shows and the bake at every frame's time, so both draw the same pixels.
 */
import { orderCues, type AvatarCorner, type AvatarCue, type AvatarExpression, type AvatarState } from './cues';
import { mouthFromLoudness, type LoudnessTrack } from './loudness';

export const DEFAULT_FADE_MS = 250;
export const MAX_FADE_MS = 2000;
export const DEFAULT_MOVE_MS = 400;
export const MAX_MOVE_MS = 5000;
/** The bubble's text types in at this rate. */
export const TYPE_CHARS_PER_SEC = 40;
/** Fades are drawn in this many steps (so identical steps of preview and bake are the same picture). */
export const FADE_STEPS = 32;
/** A speech span's mouth changes shape this often (seconds). */
export const SPEAK_STEP_SEC = 0.09;
const SPEAK_PATTERN = [1, 3, 2, 3, 1, 0, 2, 3, 2, 1, 3, 0] as const;
/** Blinks: one per slot of this many seconds, at a pseudo-random moment in it, lasting BLINK_SEC. */
const BLINK_SLOT_SEC = 4;
export const BLINK_SEC = 0.15;

/** Mouth opening: 0 closed (the expression's own mouth), 1-3 open wider. */
export type MouthLevel = 0 | 1 | 2 | 3;

export interface AvatarFrame extends AvatarState {
  /** Box side override from cues (null: the overlay's size). */
  sizePct: number | null;
  /** The expression fading out while `expression` fades in; null when no fade is in progress. */
  fromExpression: AvatarExpression | null;
  /** Weight of `expression` (0..1, in FADE_STEPS steps); 1 when no fade is in progress. */
  fade: number;
  /** Where the box comes from while it eases (null corner/size: the overlay's). */
  fromCorner: AvatarCorner | null;
  fromSizePct: number | null;
  /** Eased progress of the move (0..1); 1 when settled. */
  move: number;
  /** How many characters of `say` have typed in. */
  sayChars: number;
  mouth: MouthLevel;
  blink: boolean;
}

export interface FrameOptions {
  /** The video's loudness track: when given, the mouth follows it (lip sync with the video's own audio). */
  loudness?: LoudnessTrack | null;
  /** Blink at pseudo-random moments derived from this seed (the video id); null/undefined: no blinking. */
  blinkSeed?: number | null;
}

/** The instant of the frame a player shows at time t: frames are shown from their timestamp on. */
export function frameTime(t: number, fps: number | null | undefined): number {
  if (!(fps !== null && fps !== undefined && fps > 0 && fps <= 1000) || !(t >= 0)) return t;
  return Math.floor(t * fps + 1e-6) / fps;
}

/** 0..1 → 0..1, slow at both ends. Only + - * / so every JavaScript engine gives the same digits. */
export function easeInOut(p: number): number {
  const x = Math.min(1, Math.max(0, p));
  return x < 0.5 ? 4 * x * x * x : 1 - ((-2 * x + 2) * (-2 * x + 2) * (-2 * x + 2)) / 2;
}

/** A small integer hash (deterministic across engines) for seeds. */
export function hash32(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function stringSeed(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Whether the eyes are shut at t (a blink of BLINK_SEC at a pseudo-random moment of each slot, never at 0). */
export function blinkAt(seed: number, t: number): boolean {
  if (!(t >= 0)) return false;
  const slot = Math.floor(t / BLINK_SLOT_SEC);
  const start = slot * BLINK_SLOT_SEC + 0.5 + ((hash32(seed, slot) % 1000) / 1000) * (BLINK_SLOT_SEC - 0.5 - BLINK_SEC);
  return t >= start && t < start + BLINK_SEC;
}

/** The mouth of a speech span (a cue's speakSec): a fixed talking pattern, started at the cue. */
export function speakingMouth(cue: AvatarCue, t: number): MouthLevel {
  const step = Math.floor((t - cue.at) / SPEAK_STEP_SEC + 1e-9);
  const offset = Math.abs(stringSeed(cue.id)) % SPEAK_PATTERN.length;
  return SPEAK_PATTERN[(step + offset) % SPEAK_PATTERN.length]!;
}

const stepFade = (p: number) => Math.floor(Math.min(1, Math.max(0, p)) * FADE_STEPS + 1e-9) / FADE_STEPS;

/**
 * The frame at video time t (seconds). The targets (expression, corner, bubble) are exactly avatarStateAt's;
 * this adds how far each change has come, and the mouth and eyes of the moment.
 */
export function avatarFrameAt(cues: readonly AvatarCue[], t: number, opts: FrameOptions = {}): AvatarFrame {
  const frame: AvatarFrame = {
    expression: 'neutral',
    corner: null,
    say: null,
    sizePct: null,
    fromExpression: null,
    fade: 1,
    fromCorner: null,
    fromSizePct: null,
    move: 1,
    sayChars: 0,
    mouth: 0,
    blink: false,
  };
  if (!(t >= 0)) return frame;
  let exprAt = -Infinity;
  let exprFadeMs = 0;
  let prevExpression: AvatarExpression = 'neutral';
  let moveAt = -Infinity;
  let moveMs = 0;
  let fromCorner: AvatarCorner | null = null;
  let fromSize: number | null = null;
  let sayAt = 0;
  let sayUntil = Infinity;
  let mouth: MouthLevel = 0;
  for (const cue of orderCues(cues)) {
    if (!(cue.at <= t)) break;
    if (cue.expression !== undefined && cue.expression !== frame.expression) {
      prevExpression = frame.expression;
      frame.expression = cue.expression;
      exprAt = cue.at;
      exprFadeMs = Math.min(MAX_FADE_MS, Math.max(0, cue.fadeMs ?? DEFAULT_FADE_MS));
    }
    const corner = cue.corner !== undefined ? cue.corner : frame.corner;
    const size = cue.sizePct !== undefined ? cue.sizePct : frame.sizePct;
    if (corner !== frame.corner || size !== frame.sizePct) {
      fromCorner = frame.corner;
      fromSize = frame.sizePct;
      frame.corner = corner;
      frame.sizePct = size;
      moveAt = cue.at;
      moveMs = Math.min(MAX_MOVE_MS, Math.max(0, cue.moveMs ?? DEFAULT_MOVE_MS));
    }
    if (cue.say !== undefined) {
      frame.say = cue.say === '' ? null : cue.say;
      sayAt = cue.at;
      sayUntil = cue.sayForSec !== undefined ? cue.at + cue.sayForSec : Infinity;
    }
    if (cue.speakSec !== undefined && cue.speakSec > 0 && t < cue.at + cue.speakSec) mouth = speakingMouth(cue, t);
  }
  if (t >= sayUntil) frame.say = null;
  if (frame.say !== null) frame.sayChars = Math.min([...frame.say].length, 1 + Math.floor((t - sayAt) * TYPE_CHARS_PER_SEC + 1e-9));
  if (exprFadeMs > 0 && t < exprAt + exprFadeMs / 1000) {
    const fade = stepFade((t - exprAt) / (exprFadeMs / 1000));
    if (fade < 1) {
      frame.fade = fade;
      frame.fromExpression = prevExpression;
    }
  }
  if (moveMs > 0 && t < moveAt + moveMs / 1000) {
    frame.move = easeInOut((t - moveAt) / (moveMs / 1000));
    frame.fromCorner = fromCorner;
    frame.fromSizePct = fromSize;
  }
  if (opts.loudness) mouth = Math.max(mouth, mouthFromLoudness(opts.loudness, t)) as MouthLevel;
  frame.mouth = mouth;
  frame.blink = opts.blinkSeed !== null && opts.blinkSeed !== undefined && blinkAt(opts.blinkSeed, t);
  return frame;
}

/** A key that is equal exactly when two frames draw the same picture (at one size and look). */
export function frameKey(f: AvatarFrame): string {
  return JSON.stringify(f);
}
