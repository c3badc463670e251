/**
 * Where the avatar sits on a video frame and how it is blended, in the frame's own pixels. The preview places
 * its canvas with these numbers (as fractions of the frame) and the bake composes the same pixels, so both put
 * the same avatar at the same place.
 */
import type { AvatarCorner, AvatarState } from './cues';
import { drawAvatar } from './drawAvatar';

export interface OverlayLook {
  /** Corner used when no cue has chosen one. */
  corner: AvatarCorner;
  /** Side of the avatar's square box, as a percentage of the frame's shorter side. */
  sizePct: number;
  /** Gap between the box and the frame's edges, as a percentage of the frame's shorter side. */
  marginPct: number;
  /** 0 (invisible) .. 1 (opaque). */
  opacity: number;
}

export const DEFAULT_OVERLAY_LOOK: OverlayLook = Object.freeze({ corner: 'bottom-right', sizePct: 38, marginPct: 3, opacity: 1 }) as OverlayLook;

export interface Placement {
  corner: AvatarCorner;
  /** Top-left corner of the box and its side, in frame pixels (integers). */
  x: number;
  y: number;
  size: number;
}

export function placeAvatar(look: OverlayLook, state: AvatarState, frameWidth: number, frameHeight: number): Placement {
  const short = Math.min(frameWidth, frameHeight);
  const size = Math.max(8, Math.min(short, Math.round((short * look.sizePct) / 100)));
  const margin = Math.max(0, Math.min(Math.round((short * look.marginPct) / 100), Math.floor((short - size) / 2)));
  const corner = state.corner ?? look.corner;
  const x = corner.endsWith('left') ? margin : frameWidth - margin - size;
  const y = corner.startsWith('top') ? margin : frameHeight - margin - size;
  return { corner, x, y, size };
}

/** The avatar box's pixels with the overlay's opacity applied (what both the canvas and the bake show). */
export function drawAvatarBox(look: OverlayLook, state: AvatarState, size: number, opts: { face?: boolean } = {}): Uint8ClampedArray {
  const rgba = drawAvatar(state, size, size, opts);
  if (look.opacity < 1) {
    const o = Math.max(0, look.opacity);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = Math.round(rgba[i]! * o);
  }
  return rgba;
}

/** A whole transparent frame with the avatar placed on it: one picture of the baked overlay. */
export function drawOverlayFrame(look: OverlayLook, state: AvatarState, frameWidth: number, frameHeight: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(frameWidth * frameHeight * 4);
  const p = placeAvatar(look, state, frameWidth, frameHeight);
  const box = drawAvatarBox(look, state, p.size);
  for (let y = 0; y < p.size; y++) {
    const ty = p.y + y;
    if (ty < 0 || ty >= frameHeight) continue;
    for (let x = 0; x < p.size; x++) {
      const tx = p.x + x;
      if (tx < 0 || tx >= frameWidth) continue;
      const s = (y * p.size + x) * 4;
      const d = (ty * frameWidth + tx) * 4;
      out[d] = box[s]!;
      out[d + 1] = box[s + 1]!;
      out[d + 2] = box[s + 2]!;
      out[d + 3] = box[s + 3]!;
    }
  }
  return out;
}

/** Straight-alpha "over" of an RGBA overlay onto an RGB(A) frame, as ffmpeg's overlay filter does (rounded). */
export function compositeOver(frame: Uint8Array | Uint8ClampedArray, overlay: Uint8ClampedArray, channels: 3 | 4 = 4): Uint8ClampedArray {
  const pixels = overlay.length / 4;
  const out = new Uint8ClampedArray(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const a = overlay[p * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) out[p * channels + c] = Math.round(overlay[p * 4 + c]! * a + frame[p * channels + c]! * (1 - a));
    if (channels === 4) out[p * channels + 3] = 255;
  }
  return out;
}
