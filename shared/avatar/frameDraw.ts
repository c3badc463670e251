/**
 * Drawing one animated frame (see animate.ts): where the box is while it eases, the face cross-faded between
 * two expressions, the mouth and eyes of the moment and the bubble typed so far. Used by the preview's canvas
 * and the bake's frames alike.
 */
import type { AvatarFrame } from './animate';
import { drawAvatar } from './drawAvatar';
import type { FaceBook } from './expressions';
import type { FaceImage } from './faceImage';
import { placeAvatar, type OverlayLook, type Placement } from './placement';

export interface FrameDrawOptions {
  /** false: only the bubble (a picked picture or video is the face). */
  face?: boolean;
  /** The user's expressions by name (the built-ins are always known). */
  faces?: FaceBook;
  /** The owner's picture as the face (settings source: a library item or an image file). */
  faceImage?: FaceImage | null;
}

/** The box at this frame: the eased mix of where it came from and where it goes, in whole pixels. */
export function placeAvatarFrame(look: OverlayLook, frame: AvatarFrame, frameWidth: number, frameHeight: number): Placement {
  const to = placeAvatar({ ...look, sizePct: frame.sizePct ?? look.sizePct }, frame, frameWidth, frameHeight);
  if (frame.move >= 1) return to;
  const from = placeAvatar({ ...look, sizePct: frame.fromSizePct ?? look.sizePct }, { ...frame, corner: frame.fromCorner }, frameWidth, frameHeight);
  const mix = (a: number, b: number) => Math.round(a + (b - a) * frame.move);
  return { corner: to.corner, x: mix(from.x, to.x), y: mix(from.y, to.y), size: Math.max(8, mix(from.size, to.size)) };
}

/** The box's pixels (size x size, straight RGBA) with the look's opacity. */
export function drawAvatarFrameBox(look: OverlayLook, frame: AvatarFrame, size: number, opts: FrameDrawOptions = {}): Uint8ClampedArray {
  const draw = { face: opts.face, faces: opts.faces, faceImage: opts.faceImage, mouth: frame.mouth, blink: frame.blink, sayChars: frame.sayChars };
  const rgba = drawAvatar(frame, size, size, draw);
  if (frame.fromExpression !== null && frame.fade < 1 && opts.face !== false) {
    const from = drawAvatar({ ...frame, expression: frame.fromExpression }, size, size, draw);
    const f = frame.fade;
    for (let i = 0; i < rgba.length; i += 4) {
      const a1 = from[i + 3]! * (1 - f);
      const a2 = rgba[i + 3]! * f;
      const a = a1 + a2;
      if (a <= 0) continue;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round((from[i + c]! * a1 + rgba[i + c]! * a2) / a);
      rgba[i + 3] = Math.round(a);
    }
  }
  if (look.opacity < 1) {
    const o = Math.max(0, look.opacity);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = Math.round(rgba[i]! * o);
  }
  return rgba;
}

/** A whole transparent frame with the animated avatar on it (one picture of the bake). */
export function drawOverlayFrameAt(look: OverlayLook, frame: AvatarFrame, frameWidth: number, frameHeight: number, opts: FrameDrawOptions = {}): Uint8ClampedArray {
  const out = new Uint8ClampedArray(frameWidth * frameHeight * 4);
  const p = placeAvatarFrame(look, frame, frameWidth, frameHeight);
  const box = drawAvatarFrameBox(look, frame, p.size, opts);
  for (let y = 0; y < p.size; y++) {
    const ty = p.y + y;
    if (ty < 0 || ty >= frameHeight) continue;
    const x0 = Math.max(0, -p.x);
    const x1 = Math.min(p.size, frameWidth - p.x);
    if (x1 <= x0) continue;
    out.set(box.subarray((y * p.size + x0) * 4, (y * p.size + x1) * 4), (ty * frameWidth + p.x + x0) * 4);
  }
  return out;
}
