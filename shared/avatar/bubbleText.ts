/**
 * The speech bubble's text in a real font (Nunito Bold from @fontsource/nunito, parsed by opentype.js): glyph
 * outlines are flattened with fixed steps and filled by a small scanline coverage rasterizer that uses only
 * + - * /, so the preview (Chromium) and the bake (Node) compute the same bytes. Characters the font lacks
 * fall back to the next loaded font, emoji to a drawn smiley, anything else to the font's missing-glyph box.
 *
 * The font files are loaded by each side (the renderer fetches them, the main process reads them) through
 * loadBubbleFonts; until then the bubble shows no text.
 */
import { parse, type Font, type Glyph } from 'opentype.js/dist/opentype.mjs';

let fonts: Font[] = [];

/** Parses the font files in fallback order (first: the main font). */
export function loadBubbleFonts(files: readonly ArrayBuffer[]): void {
  fonts = files.map((f) => parse(f));
}

export function bubbleFontsLoaded(): boolean {
  return fonts.length > 0;
}

/** Zero-width joiners/spaces and variation selectors: they shape emoji but take no room of their own. */
function isZeroWidth(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060 || (c >= 0xfe00 && c <= 0xfe0f);
}
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

export type TextItem = { kind: 'glyph'; font: Font; glyph: Glyph } | { kind: 'emoji' } | { kind: 'space' };

/** The text as drawable items: one per visible character (zero-width joiners and variation selectors vanish). */
export function shapeText(text: string): TextItem[] {
  const items: TextItem[] = [];
  let joinNext = false;
  for (const ch of text) {
    if (isZeroWidth(ch)) {
      // An emoji sequence (👩‍💻) is one emoji: the joiner swallows the next pictograph.
      if (ch === '\u200d') joinNext = true;
      continue;
    }
    if (ch === ' ' || ch === '\u00a0') {
      items.push({ kind: 'space' });
      joinNext = false;
      continue;
    }
    if (PICTOGRAPH.test(ch) && !fontFor(ch)) {
      if (!joinNext) items.push({ kind: 'emoji' });
      joinNext = false;
      continue;
    }
    joinNext = false;
    const found = fontFor(ch);
    if (found) items.push({ kind: 'glyph', font: found.font, glyph: found.glyph });
    else if (fonts[0]) items.push({ kind: 'glyph', font: fonts[0], glyph: fonts[0].charToGlyph('\ufffe') });
  }
  return items;
}

function fontFor(ch: string): { font: Font; glyph: Glyph } | null {
  for (const font of fonts) {
    const glyph = font.charToGlyph(ch);
    if (glyph.index > 0) return { font, glyph };
  }
  return null;
}

function advanceOf(item: TextItem, size: number): number {
  const main = fonts[0]!;
  if (item.kind === 'space') return (main.charToGlyph(' ').advanceWidth ?? main.unitsPerEm * 0.25) * (size / main.unitsPerEm);
  if (item.kind === 'emoji') return size * 1.05;
  return (item.glyph.advanceWidth ?? 0) * (size / item.font.unitsPerEm);
}

export interface PlacedItem {
  item: TextItem;
  x: number;
  /** Baseline. */
  y: number;
}

export interface BubbleLayout {
  size: number;
  items: PlacedItem[];
}

function wrapWords(words: TextItem[][], size: number, width: number): TextItem[][] | null {
  const space = advanceOf({ kind: 'space' }, size);
  const lines: TextItem[][] = [];
  let line: TextItem[] = [];
  let lineW = 0;
  for (const word of words) {
    const w = word.reduce((s, it) => s + advanceOf(it, size), 0);
    if (w > width) return null;
    if (line.length === 0) {
      line = [...word];
      lineW = w;
    } else if (lineW + space + w <= width) {
      line.push({ kind: 'space' }, ...word);
      lineW += space + w;
    } else {
      lines.push(line);
      line = [...word];
      lineW = w;
    }
  }
  if (line.length) lines.push(line);
  return lines;
}

/**
 * Lays the text out in a box: the largest whole-pixel size (from maxSize down) at which the words wrap into
 * the box without breaking a word; at the smallest size, what does not fit is cut with an ellipsis.
 */
export function layoutBubbleText(text: string, box: { x0: number; y0: number; x1: number; y1: number }, maxSize: number, minSize = 7): BubbleLayout {
  if (!bubbleFontsLoaded()) return { size: 0, items: [] };
  const items = shapeText(text.replace(/\s+/g, ' ').trim());
  const words: TextItem[][] = [];
  let word: TextItem[] = [];
  for (const it of items) {
    if (it.kind === 'space') {
      if (word.length) words.push(word);
      word = [];
    } else word.push(it);
  }
  if (word.length) words.push(word);
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const main = fonts[0]!;
  const top = Math.max(minSize, Math.floor(maxSize));
  for (let size = top; size >= minSize; size--) {
    const lineH = size * 1.2;
    let lines = wrapWords(words, size, width);
    if (size === minSize && (!lines || lines.length * lineH > height)) lines = cutToFit(words, size, width, Math.max(1, Math.floor(height / lineH)));
    if (!lines || lines.length * lineH > height) continue;
    const ascent = (main.ascender / main.unitsPerEm) * size;
    const descent = (-main.descender / main.unitsPerEm) * size;
    const blockH = (lines.length - 1) * lineH + ascent + descent;
    let baseline = box.y0 + (height - blockH) / 2 + ascent;
    const placed: PlacedItem[] = [];
    for (const line of lines) {
      const lineW = line.reduce((s, it) => s + advanceOf(it, size), 0);
      let x = box.x0 + (width - lineW) / 2;
      line.forEach((it, i) => {
        placed.push({ item: it, x, y: baseline });
        x += advanceOf(it, size);
        const next = line[i + 1];
        if (it.kind === 'glyph' && next?.kind === 'glyph' && next.font === it.font) x += it.font.getKerningValue(it.glyph, next.glyph) * (size / it.font.unitsPerEm);
      });
      baseline += lineH;
    }
    return { size, items: placed };
  }
  return { size: 0, items: [] };
}

/** Words broken by character into at most maxLines lines, the last one ending in an ellipsis when cut. */
function cutToFit(words: TextItem[][], size: number, width: number, maxLines: number): TextItem[][] {
  const flat: TextItem[] = [];
  words.forEach((w, i) => flat.push(...(i ? [{ kind: 'space' } as TextItem] : []), ...w));
  const ellipsis = fontFor('\u2026');
  const lines: TextItem[][] = [];
  let line: TextItem[] = [];
  let lineW = 0;
  for (const it of flat) {
    const w = advanceOf(it, size);
    if (lineW + w > width && line.length) {
      lines.push(line);
      line = [];
      lineW = 0;
      if (lines.length === maxLines) break;
      if (it.kind === 'space') continue;
    }
    line.push(it);
    lineW += w;
  }
  if (lines.length < maxLines && line.length) lines.push(line);
  const shown = lines.reduce((n, l) => n + l.length, 0);
  if (shown < flat.length && ellipsis && lines.length) {
    const last = lines[lines.length - 1]!;
    const e: TextItem = { kind: 'glyph', font: ellipsis.font, glyph: ellipsis.glyph };
    while (last.length && last.reduce((s, it) => s + advanceOf(it, size), 0) + advanceOf(e, size) > width) last.pop();
    last.push(e);
  }
  return lines;
}

type Edge = { x0: number; y0: number; x1: number; y1: number; dir: 1 | -1 };

/** Fixed subdivision (no adaptive error test) keeps the outline identical wherever it is computed. */
const QUAD_STEPS = 6;
const CUBIC_STEPS = 10;
const SUB_ROWS = 4;

function glyphEdges(p: PlacedItem, size: number, out: Edge[]): void {
  if (p.item.kind !== 'glyph') return;
  const path = p.item.glyph.getPath(p.x, p.y, size);
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  const line = (x: number, y: number) => {
    if (y !== cy) out.push(y > cy ? { x0: cx, y0: cy, x1: x, y1: y, dir: 1 } : { x0: x, y0: y, x1: cx, y1: cy, dir: -1 });
    cx = x;
    cy = y;
  };
  for (const c of path.commands) {
    if (c.type === 'M') {
      if (cx !== sx || cy !== sy) line(sx, sy);
      cx = sx = c.x!;
      cy = sy = c.y!;
    } else if (c.type === 'L') line(c.x!, c.y!);
    else if (c.type === 'Q') {
      const [ax, ay] = [cx, cy];
      for (let i = 1; i <= QUAD_STEPS; i++) {
        const t = i / QUAD_STEPS;
        const u = 1 - t;
        line(u * u * ax + 2 * u * t * c.x1! + t * t * c.x!, u * u * ay + 2 * u * t * c.y1! + t * t * c.y!);
      }
    } else if (c.type === 'C') {
      const [ax, ay] = [cx, cy];
      for (let i = 1; i <= CUBIC_STEPS; i++) {
        const t = i / CUBIC_STEPS;
        const u = 1 - t;
        line(
          u * u * u * ax + 3 * u * u * t * c.x1! + 3 * u * t * t * c.x2! + t * t * t * c.x!,
          u * u * u * ay + 3 * u * u * t * c.y1! + 3 * u * t * t * c.y2! + t * t * t * c.y!,
        );
      }
    } else if (c.type === 'Z') line(sx, sy);
  }
  if (cx !== sx || cy !== sy) line(sx, sy);
}

/**
 * Coverage (0..1) of the laid-out glyphs over a width x height area of pixels: nonzero winding, four sample
 * rows per pixel and exact horizontal coverage within each row.
 */
export function rasterizeText(layout: BubbleLayout, width: number, height: number, maxItems = Infinity): Float32Array {
  const cover = new Float32Array(width * height);
  const edges: Edge[] = [];
  let n = 0;
  for (const p of layout.items) {
    if (p.item.kind === 'space') continue;
    if (n++ >= maxItems) break;
    glyphEdges(p, layout.size, edges);
  }
  if (edges.length === 0) return cover;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const e of edges) {
    if (e.y0 < minY) minY = e.y0;
    if (e.y1 > maxY) maxY = e.y1;
  }
  const rowStart = Math.max(0, Math.floor(minY));
  const rowEnd = Math.min(height, Math.ceil(maxY));
  const hits: { x: number; dir: number }[] = [];
  for (let py = rowStart; py < rowEnd; py++) {
    for (let s = 0; s < SUB_ROWS; s++) {
      const y = py + (s + 0.5) / SUB_ROWS;
      hits.length = 0;
      for (const e of edges) {
        if (y < e.y0 || y >= e.y1) continue;
        hits.push({ x: e.x0 + ((y - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), dir: e.dir });
      }
      if (hits.length < 2) continue;
      hits.sort((a, b) => a.x - b.x);
      let winding = 0;
      for (let i = 0; i < hits.length - 1; i++) {
        winding += hits[i]!.dir;
        if (winding !== 0) addSpan(cover, width, py, hits[i]!.x, hits[i + 1]!.x, 1 / SUB_ROWS);
      }
    }
  }
  return cover;
}

function addSpan(cover: Float32Array, width: number, py: number, xa: number, xb: number, weight: number): void {
  const a = Math.max(0, xa);
  const b = Math.min(width, xb);
  if (b <= a) return;
  const first = Math.floor(a);
  const last = Math.min(width - 1, Math.floor(b));
  const row = py * width;
  if (first === last) {
    cover[row + first] = cover[row + first]! + (b - a) * weight;
    return;
  }
  cover[row + first] = cover[row + first]! + (first + 1 - a) * weight;
  for (let x = first + 1; x < last; x++) cover[row + x] = cover[row + x]! + weight;
  if (last < width) cover[row + last] = cover[row + last]! + (b - last) * weight;
}
