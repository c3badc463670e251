/**
 * The built-in avatar: a round pink face with a halo, drawn by the software rasterizer so the live preview and
 * the baked overlay are the same bytes. `drawAvatar` is pure and deterministic: one state and one size always
 * give one picture.
 */
import type { AvatarState } from './cues';
import { faceOf, type FaceBook, type FaceLook } from './expressions';
import { sampleFaceImage, type FaceImage } from './faceImage';
import { bubbleFontsLoaded, layoutBubbleText, rasterizeText } from './bubbleText';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font5x7';
import { Raster, arc, circle, ellipse, grow, halfDisc, intersect, ring, roundRect, segment, triangle, union, type Rgb } from './raster';

const SKIN: Rgb = [255, 226, 234];
const LINE: Rgb = [176, 34, 98];
const HAIR: Rgb = [236, 104, 158];
const HAIR_DARK: Rgb = [205, 70, 128];
const BLUSH: Rgb = [255, 128, 168];
const HALO: Rgb = [255, 204, 77];
const EYE: Rgb = [58, 22, 52];
const WHITE: Rgb = [255, 255, 255];
const MOUTH: Rgb = [140, 26, 66];
const TONGUE: Rgb = [255, 122, 150];
const BUBBLE: Rgb = [255, 253, 250];
const INK: Rgb = [44, 18, 40];

/** Where the parts sit in a w x h box (the face is always in the same place, with or without a bubble). */
export function avatarLayout(width: number, height: number) {
  const u = Math.min(width, height);
  const cx = width / 2;
  const cy = height * 0.66;
  const r = u * 0.27;
  return {
    u,
    face: { cx, cy, r },
    bubble: { x0: width * 0.04, y0: height * 0.02, x1: width * 0.96, y1: height * 0.27, radius: u * 0.06 },
    tail: { ax: width * 0.2, ay: height * 0.25, bx: width * 0.34, by: height * 0.25, tx: width * 0.27, ty: height * 0.37 },
  };
}

/**
 * The avatar of `state` as straight RGBA bytes, width x height, transparent around it. With `face: false` only
 * the speech bubble is drawn (the owner's own picture or video shows under it).
 */
export interface DrawOptions {
  /** false: only the bubble (a picked picture or video is the face). */
  face?: boolean;
  /** 1-3: the mouth is open that wide (speaking), over the expression's own mouth. */
  mouth?: number;
  /** The eyes are shut (a blink). */
  blink?: boolean;
  /** Only the first n characters of the bubble's text show (typing in); the layout is the whole text's. */
  sayChars?: number;
  /** The user's expressions (the built-ins are always known). */
  faces?: FaceBook;
  /** A picture as the face (masked to the face's circle); the eyes still blink and the mouth still speaks on it. */
  faceImage?: FaceImage | null;
}

export function drawAvatar(state: AvatarState, width: number, height: number, opts: DrawOptions = {}): Uint8ClampedArray {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const raster = new Raster(w, h);
  const layout = avatarLayout(w, h);
  if (opts.face !== false && opts.faceImage) drawPictureFace(raster, layout.face, opts.faceImage, opts);
  else if (opts.face !== false) drawFace(raster, layout.face, faceOf(state.expression, opts.faces), opts);
  if (state.say) drawBubble(raster, layout, state.say, opts.sayChars ?? Infinity);
  return raster.toRgba();
}

function box(cx: number, cy: number, rx: number, ry = rx): [number, number, number, number] {
  return [cx - rx, cy - ry, cx + rx, cy + ry];
}

function drawFace(R: Raster, f: { cx: number; cy: number; r: number }, look: FaceLook, opts: DrawOptions): void {
  const { cx, cy, r } = f;
  const c = faceColours(look);
  const stroke = Math.max(1, r * 0.07);
  const all = box(cx, cy, r * 1.45);

  // Hair behind the face (a bob), the face with its outline, then the fringe on top.
  const backHair = intersect(circle(cx, cy - r * 0.05, r * 1.14), (x, y) => y - (cy + r * 0.62));
  R.fill(backHair, c.hairDark, 1, all);
  R.fill(circle(cx, cy, r + stroke / 2), c.line, 1, all);
  R.fill(circle(cx, cy, r - stroke / 2), c.skin, 1, all);
  const fringe = intersect(circle(cx, cy - r * 0.04, r * 1.02), (x, y) => y - (cy - r * 0.52 + Math.abs(x - cx) * 0.22));
  R.fill(fringe, c.hair, 1, all);

  // Halo: a gold ring floating over the head.
  const haloY = cy - r * 1.2;
  R.fill(ring(ellipse(cx, haloY, r * 0.62, r * 0.15), r * 0.08), c.halo, 1, box(cx, haloY, r * 0.75, r * 0.3));

  if (look.blush > 0) {
    for (const side of [-1, 1]) R.fill(ellipse(cx + side * r * 0.58, cy + r * 0.24, r * 0.15, r * 0.09), c.blush, look.blush, box(cx + side * r * 0.58, cy + r * 0.24, r * 0.17, r * 0.11));
  }

  // Eyes, brows and mouth only touch the middle of the face: a tighter box saves most of the work.
  const features = box(cx, cy + r * 0.05, r * 0.75, r * 0.7);
  if (opts.blink) drawClosedEyes(R, f, c.eyes, features);
  else drawEyes(R, f, look, c.eyes, features);
  if (opts.mouth && opts.mouth > 0) drawOpenMouth(R, f, Math.min(3, opts.mouth), c.mouth, features);
  else {
    drawMouth(R, f, look, c.mouth, features);
    // Asleep, not while speaking.
    if (look.zzz) drawZzz(R, f, c.line);
  }
}

/** The owner's picture in the face's circle with the halo and outline; closed eyes and an open mouth drawn on it. */
function drawPictureFace(R: Raster, f: { cx: number; cy: number; r: number }, img: FaceImage, opts: DrawOptions): void {
  const { cx, cy, r } = f;
  const stroke = Math.max(1, r * 0.07);
  const all = box(cx, cy, r * 1.1);
  R.fill(circle(cx, cy, r + stroke / 2), LINE, 1, all);
  const inner = r - stroke / 2;
  R.fillPicture(circle(cx, cy, inner), (x, y, out) => sampleFaceImage(img, (x - (cx - inner)) / (2 * inner), (y - (cy - inner)) / (2 * inner), out), all);
  const haloY = cy - r * 1.2;
  R.fill(ring(ellipse(cx, haloY, r * 0.62, r * 0.15), r * 0.08), HALO, 1, box(cx, haloY, r * 0.75, r * 0.3));
  const features = box(cx, cy + r * 0.05, r * 0.75, r * 0.7);
  if (opts.blink) drawClosedEyes(R, f, EYE, features);
  if (opts.mouth && opts.mouth > 0) drawOpenMouth(R, f, Math.min(3, opts.mouth), MOUTH, features);
}

const BUILTIN_COLOURS = { skin: SKIN, hair: HAIR, hairDark: HAIR_DARK, line: LINE, blush: BLUSH, eyes: EYE, mouth: MOUTH, halo: HALO } as const;

function faceColours(look: FaceLook): Record<keyof typeof BUILTIN_COLOURS, Rgb> {
  const out: Record<string, Rgb> = { ...BUILTIN_COLOURS };
  for (const [k, v] of Object.entries(look.colours)) if (v) out[k] = [parseInt(v.slice(1, 3), 16), parseInt(v.slice(3, 5), 16), parseInt(v.slice(5, 7), 16)];
  return out as Record<keyof typeof BUILTIN_COLOURS, Rgb>;
}

function drawClosedEyes(R: Raster, f: { cx: number; cy: number; r: number }, colour: Rgb, area: [number, number, number, number]): void {
  const { cx, cy, r } = f;
  const line = Math.max(1.2, r * 0.075);
  for (const x of [cx - r * 0.36, cx + r * 0.36]) R.fill(arc(x, cy - r * 0.02, r * 0.12, line, 'lower'), colour, 1, area);
}

/** Speaking: an open mouth whose height grows with the level (1-3). */
function drawOpenMouth(R: Raster, f: { cx: number; cy: number; r: number }, level: number, colour: Rgb, area: [number, number, number, number]): void {
  const { cx, cy, r } = f;
  const my = cy + r * 0.42;
  const mouth = ellipse(cx, my, r * (0.12 + level * 0.02), r * (0.04 + level * 0.045));
  R.fill(mouth, colour, 1, area);
  if (level >= 2) R.fill(intersect(circle(cx, my + r * (0.04 + level * 0.045), r * 0.09), mouth), TONGUE, 1, area);
}

function openEye(R: Raster, x: number, y: number, r: number, scale: number, colour: Rgb, area: [number, number, number, number]): void {
  R.fill(ellipse(x, y, r * 0.11 * scale, r * 0.16 * scale), colour, 1, area);
  R.fill(circle(x + r * 0.035 * scale, y - r * 0.06 * scale, r * 0.045 * scale), WHITE, 1, area);
}

function drawEyes(R: Raster, f: { cx: number; cy: number; r: number }, look: FaceLook, colour: Rgb, area: [number, number, number, number]): void {
  const { cx, cy, r } = f;
  const ey = cy - r * 0.02;
  const lx = cx - r * 0.36;
  const rx = cx + r * 0.36;
  const line = Math.max(1.2, r * 0.075);
  const s = look.eyeScale;
  const smiling = (x: number) => R.fill(arc(x, ey + r * 0.05, r * 0.12 * s, line, 'upper'), colour, 1, area);
  switch (look.eyes) {
    case 'closed-up':
      smiling(lx);
      smiling(rx);
      break;
    case 'closed-down':
      for (const x of [lx, rx]) R.fill(arc(x, ey, r * 0.12 * s, line, 'lower'), colour, 1, area);
      break;
    case 'wink':
      openEye(R, lx, ey, r, s, colour, area);
      smiling(rx);
      break;
    default:
      openEye(R, lx, ey, r, s, colour, area);
      openEye(R, rx, ey, r, s, colour, area);
  }
  if (look.brows) {
    const { inner, outer } = look.brows;
    const brow = (x: number, side: -1 | 1) =>
      R.fill(segment(x - side * r * 0.14, ey - r * 0.3 + r * outer, x + side * r * 0.14, ey - r * 0.3 + r * inner, line), colour, 1, area);
    brow(lx, 1);
    brow(rx, -1);
  }
}

function drawMouth(R: Raster, f: { cx: number; cy: number; r: number }, look: FaceLook, colour: Rgb, area: [number, number, number, number]): void {
  const { cx, cy, r } = f;
  const my = cy + r * 0.42 + r * look.mouthShift;
  const w = look.mouthWidth;
  const line = Math.max(1.2, r * 0.075);
  switch (look.mouth) {
    case 'grin': {
      const mouth = halfDisc(cx, my - r * 0.08, r * 0.24 * w, 'lower');
      R.fill(mouth, colour, 1, area);
      R.fill(intersect(circle(cx, my + r * 0.16 * w, r * 0.12 * w), mouth), TONGUE, 1, area);
      return;
    }
    case 'smile':
      R.fill(arc(cx, my - r * 0.1, r * 0.2 * w, line, 'lower'), colour, 1, area);
      return;
    case 'frown':
      R.fill(arc(cx, my + r * 0.12, r * 0.18 * w, line, 'upper'), colour, 1, area);
      return;
    case 'o':
      R.fill(ellipse(cx, my + r * 0.02, r * 0.1 * w, r * 0.14), colour, 1, area);
      return;
    case 'dot':
      R.fill(ellipse(cx, my, r * 0.06 * w, r * 0.05), colour, 1, area);
      return;
    case 'talking': {
      const mouth = ellipse(cx, my, r * 0.16 * w, r * 0.12);
      R.fill(mouth, colour, 1, area);
      R.fill(intersect(circle(cx, my + r * 0.12, r * 0.1), mouth), TONGUE, 1, area);
      return;
    }
    default:
      R.fill(segment(cx - r * 0.15 * w, my, cx + r * 0.15 * w, my, line), colour, 1, area);
  }
}

/** A small "z" drifting up beside the head. */
function drawZzz(R: Raster, f: { cx: number; cy: number; r: number }, colour: Rgb): void {
  const { cx, cy, r } = f;
  const line = Math.max(1.2, r * 0.075) * 0.8;
  const area = box(cx + r * 0.9, cy - r * 0.6, r * 0.3);
  R.fill(segment(cx + r * 0.8, cy - r * 0.72, cx + r * 0.98, cy - r * 0.72, line), colour, 1, area);
  R.fill(segment(cx + r * 0.98, cy - r * 0.72, cx + r * 0.8, cy - r * 0.52, line), colour, 1, area);
  R.fill(segment(cx + r * 0.8, cy - r * 0.52, cx + r * 0.98, cy - r * 0.52, line), colour, 1, area);
}

/** Lines of at most maxChars characters, words kept whole when they fit; null when nothing fits. */
export function wrapBubbleText(text: string, maxChars: number, maxLines: number): string[] {
  if (maxChars < 1 || maxLines < 1) return [];
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (let word of words) {
    while (word.length > maxChars) {
      if (current) {
        lines.push(current);
        current = '';
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!word) continue;
    if (!current) current = word;
    else if (current.length + 1 + word.length <= maxChars) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = (last.length + 2 <= maxChars ? last : last.slice(0, Math.max(0, maxChars - 2))) + '..';
  return kept;
}

function drawBubble(R: Raster, layout: ReturnType<typeof avatarLayout>, text: string, maxChars: number): void {
  const { bubble: b, tail: t, u } = layout;
  const border = Math.max(1, u * 0.012);
  const shape = union(roundRect(b.x0, b.y0, b.x1, b.y1, b.radius), triangle(t.ax, t.ay, t.bx, t.by, t.tx, t.ty));
  const area: [number, number, number, number] = [b.x0, b.y0, b.x1, t.ty];
  R.fill(grow(shape, border), LINE, 1, area);
  R.fill(shape, BUBBLE, 1, area);
  const pad = Math.max(2, Math.round(u * 0.03));
  if (bubbleFontsLoaded()) drawFontText(R, b, pad, u, text, maxChars);
  else drawBitmapText(R, b, pad, u, text, maxChars);
}

/** The text in the real font, centred in the bubble; the first maxChars visible characters only. */
function drawFontText(R: Raster, b: { x0: number; y0: number; x1: number; y1: number }, pad: number, u: number, text: string, maxChars: number): void {
  const x0 = Math.floor(b.x0 + pad);
  const y0 = Math.floor(b.y0 + pad * 0.6);
  const w = Math.max(1, Math.ceil(b.x1 - pad) - x0);
  const h = Math.max(1, Math.ceil(b.y1 - pad * 0.6) - y0);
  const layout = layoutBubbleText(text, { x0: 0, y0: 0, x1: w, y1: h }, Math.max(7, u * 0.085));
  R.mask(rasterizeText(layout, w, h, maxChars), w, x0, y0, INK, 1);
  let n = 0;
  for (const p of layout.items) {
    if (p.item.kind === 'space') continue;
    if (n++ >= maxChars) break;
    if (p.item.kind === 'emoji') drawEmoji(R, x0 + p.x + layout.size * 0.52, y0 + p.y - layout.size * 0.36, layout.size * 0.45);
  }
}

/** A character no font has that is an emoji: a small drawn smiley in its place. */
function drawEmoji(R: Raster, cx: number, cy: number, r: number): void {
  const area = box(cx, cy, r * 1.1);
  R.fill(circle(cx, cy, r), HALO, 1, area);
  const line = Math.max(0.8, r * 0.14);
  R.fill(circle(cx - r * 0.35, cy - r * 0.2, r * 0.13), EYE, 1, area);
  R.fill(circle(cx + r * 0.35, cy - r * 0.2, r * 0.13), EYE, 1, area);
  R.fill(arc(cx, cy + r * 0.05, r * 0.45, line, 'lower'), EYE, 1, area);
}

/** Before a font is loaded: the 5x7 bitmap font. */
function drawBitmapText(R: Raster, b: { x0: number; y0: number; x1: number; y1: number }, pad: number, u: number, text: string, maxChars: number): void {
  // Bitmap text, scaled by whole pixels so every glyph stays crisp.
  const scale = Math.max(1, Math.floor(u / 110));
  const innerW = b.x1 - b.x0 - 2 * pad;
  const innerH = b.y1 - b.y0 - 2 * pad;
  const advance = (GLYPH_WIDTH + 1) * scale;
  const lineH = (GLYPH_HEIGHT + 2) * scale;
  const lines = wrapBubbleText(text, Math.floor((innerW + scale) / advance), Math.floor((innerH + 2 * scale) / lineH));
  const blockH = lines.length * lineH - 2 * scale;
  let y = Math.round((b.y0 + b.y1) / 2 - blockH / 2);
  let shown = 0;
  for (const line of lines) {
    let x = Math.round((b.x0 + b.x1) / 2 - (line.length * advance - scale) / 2);
    for (const ch of line) {
      if (ch !== ' ' && shown++ >= maxChars) return;
      const bits = glyph(ch);
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) if (bits[gy * GLYPH_WIDTH + gx]) R.rect(x + gx * scale, y + gy * scale, scale, scale, INK, 1);
      }
      x += advance;
    }
    y += lineH;
  }
}
