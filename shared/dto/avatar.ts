/** Shapes of the avatar domain that cross the boundary (UI, CLI, MCP). The model itself is in shared/avatar. */
import type { AvatarCorner, AvatarCue, AvatarExpression } from '../avatar/cues';
import type { OverlayLook } from '../avatar/placement';
import type { ExpressionDef } from '../avatar/expressions';

export type { AvatarCorner, AvatarCue, AvatarExpression, AvatarState } from '../avatar/cues';
export type { OverlayLook } from '../avatar/placement';

/** A video's saved cue track. */
export interface CueTrack {
  videoId: number;
  /** In track order (ties at one time: the later entry wins); see avatarStateAt. */
  cues: AvatarCue[];
  /** null: never saved (an empty track). */
  updatedAt: string | null;
}

/**
 * What the avatar's face is: the built-in drawn face (with the cues' expressions), a frame of a library video
 * at atSec (default 0), or an image file; a picture is masked to the face's circle and still blinks and speaks.
 */
export type AvatarSource = { kind: 'builtin' } | { kind: 'library'; videoId: number; atSec?: number } | { kind: 'image'; path: string };

/** The face picture of the current source, as both the preview and the bake draw it. */
export interface FacePicture {
  size: number;
  /** size x size straight RGBA, base64. */
  rgbaBase64: string;
}

/** The overlay's look, the same for every video (cues may move it to another corner for a while). */
export interface OverlaySettings extends OverlayLook {
  source: AvatarSource;
  /** Whether the preview shows the overlay at all. */
  visible: boolean;
  /** The mouth follows the video's own audio (its loudness track), in the preview and the bake. */
  lipSync: boolean;
  /** The avatar blinks now and then (at moments fixed per video, so the bake blinks where the preview did). */
  blink: boolean;
}

/** Read-back for agents: what the avatar shows at a moment and the cues around it. */
export interface AvatarStateReport {
  videoId: number;
  /** The time described (seconds); the open preview's playhead when none was given. */
  t: number;
  /** Where the open preview of this video is (null: none reported lately). */
  playhead: number | null;
  expression: AvatarExpression;
  /** The expression fading out while this one fades in, with its progress (null: settled). */
  fadingFrom: { expression: AvatarExpression; progress: number } | null;
  corner: AvatarCorner;
  sizePct: number;
  moving: boolean;
  say: string | null;
  speaking: boolean;
  /** Mouth opening 0 (closed) .. 3. */
  mouth: number;
  /** Saved cues within aroundSec of t, in the order they apply. */
  cuesAround: AvatarCue[];
  trackLength: number;
}

/** A cue as sent live: `at` may be 'now' (the open preview's playhead). */
export interface LiveCueInput {
  at?: number | 'now';
  expression?: AvatarExpression;
  corner?: AvatarCorner;
  say?: string;
  sayForSec?: number;
  fadeMs?: number;
  sizePct?: number;
  moveMs?: number;
  speakSec?: number;
  /** With at 'now': this many seconds after now. */
  afterSec?: number;
}

/** The `avatar.cue` event: a cue pushed live (from the MCP tool, the CLI, another window). */
export interface LiveCueEvent {
  /** The video it is meant for; null: whichever video the open preview shows. */
  videoId: number | null;
  /** at is 'now' when the sender left the time to the preview; a number when it was given or resolved. */
  cue: Omit<AvatarCue, 'at'> & { at: number | 'now'; afterSec?: number };
  /** True when it was also written to the video's saved track (then `avatar.track` follows). */
  saved: boolean;
}

export interface PushResult {
  event: LiveCueEvent;
  /** The saved track when the cue was saved. */
  track: CueTrack | null;
}

/** The expressions a cue may name: the built-ins, then the user's files (see docs/avatar.md). */
export interface ExpressionList {
  expressions: ExpressionDef[];
  /** Files that could not be used, each with a message naming the file and the field. */
  problems: { file: string; message: string }[];
  /** Where the user's expression files live (<dataDir>/avatar/expressions). */
  folder: string;
}
