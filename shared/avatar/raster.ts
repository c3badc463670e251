/**
 * A tiny deterministic software rasterizer: shapes are signed-distance functions in pixel units, each pixel
 * is sampled once at its centre and covered by clamp(0.5 - distance), which gives one pixel of anti-aliasing.
 * Only +, -, *, /, sqrt and min/max are used (no trigonometry), so Node and Chromium compute identical bytes.
 */

export type Rgb = readonly [number, number, number];

/**
 * How fast any shape's distance may change per pixel. Fill skips runs of a row whose coverage is known from one
 * evaluation, which is exact while no shape's value changes faster than this: true distances change by 1, the
 * approximate ellipse by at most 1, the slanted fringe line by 1.03. A new shape must stay under it.
 */
const SKIP_LIPSCHITZ = 1.25;
export type Sdf = (x: number, y: number) => number;

let scratch = new Float64Array(0);

export class Raster {
  /** Premultiplied RGBA in 0..1, composited with "source over". */
  private readonly acc: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    // One buffer per size, reused: a preview redraws on every cue, and a fresh 2 MB buffer each time was a
    // good part of a draw's cost (allocation and garbage collection). Drawing is synchronous and a raster is
    // done once toRgba returns, so the next raster of that size may take the buffer.
    const n = width * height * 4;
    if (scratch.length !== n) scratch = new Float64Array(n);
    else scratch.fill(0);
    this.acc = scratch;
  }

  /** Fills a shape; bbox limits the pixels visited (x0, y0, x1, y1 in pixels). */
  fill(sdf: Sdf, color: Rgb, alpha: number, bbox: readonly [number, number, number, number]): void {
    const x0 = Math.max(0, Math.floor(bbox[0]) - 1);
    const y0 = Math.max(0, Math.floor(bbox[1]) - 1);
    const x1 = Math.min(this.width, Math.ceil(bbox[2]) + 1);
    const y1 = Math.min(this.height, Math.ceil(bbox[3]) + 1);
    const [r, g, b] = [color[0] / 255, color[1] / 255, color[2] / 255];
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; ) {
        const d = sdf(x + 0.5, y + 0.5);
        const cover = Math.min(1, Math.max(0, 0.5 - d));
        // Far outside or deep inside, the next pixels of the row are too: their coverage is known without
        // evaluating the shape (see SKIP_LIPSCHITZ), which is most of the box. The bytes are the same.
        const run = Math.abs(d) > 1.5 ? Math.floor((Math.abs(d) - 0.5) / SKIP_LIPSCHITZ) : 1;
        const end = Math.min(x1, x + Math.max(1, run));
        if (cover >= 1 && alpha >= 1) for (let xx = x; xx < end; xx++) this.paint(xx, y, r, g, b);
        else if (cover > 0) for (let xx = x; xx < end; xx++) this.blend(xx, y, r, g, b, alpha * cover);
        x = end;
      }
    }
  }

  /**
   * Fills a shape with colours that vary per pixel (a picture): colourAt writes [r, g, b, a] in 0..1 for a pixel
   * centre. Every pixel of the box is evaluated (no run skipping: the colour changes anyway).
   */
  fillPicture(sdf: Sdf, colourAt: (x: number, y: number, out: Float64Array) => void, bbox: readonly [number, number, number, number]): void {
    const x0 = Math.max(0, Math.floor(bbox[0]) - 1);
    const y0 = Math.max(0, Math.floor(bbox[1]) - 1);
    const x1 = Math.min(this.width, Math.ceil(bbox[2]) + 1);
    const y1 = Math.min(this.height, Math.ceil(bbox[3]) + 1);
    const c = new Float64Array(4);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const cover = Math.min(1, Math.max(0, 0.5 - sdf(x + 0.5, y + 0.5)));
        if (cover <= 0) continue;
        colourAt(x + 0.5, y + 0.5, c);
        if (c[3]! > 0) this.blend(x, y, c[0]!, c[1]!, c[2]!, cover * c[3]!);
      }
    }
  }

  /** Sets a crisp rectangle of pixels (bitmap text). */
  rect(x: number, y: number, w: number, h: number, color: Rgb, alpha: number): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.blend(xx, yy, color[0] / 255, color[1] / 255, color[2] / 255, alpha);
    }
  }

  /** Paints a colour through a coverage mask (0..1 per pixel) of maskWidth columns placed at (x0, y0). */
  mask(cover: Float32Array, maskWidth: number, x0: number, y0: number, color: Rgb, alpha: number): void {
    const maskHeight = cover.length / maskWidth;
    const [r, g, b] = [color[0] / 255, color[1] / 255, color[2] / 255];
    for (let y = 0; y < maskHeight; y++) {
      const ty = y0 + y;
      if (ty < 0 || ty >= this.height) continue;
      for (let x = 0; x < maskWidth; x++) {
        const c = Math.min(1, cover[y * maskWidth + x]!);
        const tx = x0 + x;
        if (c > 0 && tx >= 0 && tx < this.width) this.blend(tx, ty, r, g, b, alpha * c);
      }
    }
  }

  /** blend() with full coverage and opacity: the same numbers (r * 1 + old * 0 is r), without the arithmetic. */
  private paint(x: number, y: number, r: number, g: number, b: number): void {
    const i = (y * this.width + x) * 4;
    this.acc[i] = r;
    this.acc[i + 1] = g;
    this.acc[i + 2] = b;
    this.acc[i + 3] = 1;
  }

  private blend(x: number, y: number, r: number, g: number, b: number, a: number): void {
    const i = (y * this.width + x) * 4;
    const keep = 1 - a;
    this.acc[i] = r * a + this.acc[i]! * keep;
    this.acc[i + 1] = g * a + this.acc[i + 1]! * keep;
    this.acc[i + 2] = b * a + this.acc[i + 2]! * keep;
    this.acc[i + 3] = a + this.acc[i + 3]! * keep;
  }

  /** Straight (non-premultiplied) RGBA bytes, as PNG files and canvas ImageData expect. */
  toRgba(): Uint8ClampedArray {
    const out = new Uint8ClampedArray(this.width * this.height * 4);
    for (let i = 0; i < out.length; i += 4) {
      const a = this.acc[i + 3]!;
      if (a <= 0) continue;
      out[i] = Math.round((this.acc[i]! / a) * 255);
      out[i + 1] = Math.round((this.acc[i + 1]! / a) * 255);
      out[i + 2] = Math.round((this.acc[i + 2]! / a) * 255);
      out[i + 3] = Math.round(a * 255);
    }
    return out;
  }
}

const len = (x: number, y: number) => Math.sqrt(x * x + y * y);

export const circle =
  (cx: number, cy: number, r: number): Sdf =>
  (x, y) =>
    len(x - cx, y - cy) - r;

/** An approximate ellipse distance (exact on the axes), good enough for one pixel of anti-aliasing. */
export const ellipse =
  (cx: number, cy: number, rx: number, ry: number): Sdf =>
  (x, y) =>
    (len((x - cx) / rx, (y - cy) / ry) - 1) * Math.min(rx, ry);

/** A line of width w with round ends. */
export const segment =
  (ax: number, ay: number, bx: number, by: number, w: number): Sdf =>
  (x, y) => {
    const px = x - ax;
    const py = y - ay;
    const dx = bx - ax;
    const dy = by - ay;
    const h = Math.min(1, Math.max(0, (px * dx + py * dy) / (dx * dx + dy * dy || 1)));
    return len(px - dx * h, py - dy * h) - w / 2;
  };

/** Half of a circle's outline (stroke width w, round ends): the lower half smiles, the upper half frowns. */
export const arc =
  (cx: number, cy: number, r: number, w: number, half: 'lower' | 'upper'): Sdf =>
  (x, y) => {
    const onSide = half === 'lower' ? y >= cy : y <= cy;
    if (onSide) return Math.abs(len(x - cx, y - cy) - r) - w / 2;
    return Math.min(len(x - cx - r, y - cy), len(x - cx + r, y - cy)) - w / 2;
  };

/** A filled half disc (an open smiling mouth when 'lower'). */
export const halfDisc =
  (cx: number, cy: number, r: number, half: 'lower' | 'upper'): Sdf =>
  (x, y) =>
    Math.max(len(x - cx, y - cy) - r, half === 'lower' ? cy - y : y - cy);

export const ring =
  (inner: Sdf, w: number): Sdf =>
  (x, y) =>
    Math.abs(inner(x, y)) - w / 2;

export const roundRect =
  (x0: number, y0: number, x1: number, y1: number, r: number): Sdf =>
  (x, y) => {
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r);
    const qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
    return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };

/** A triangle as the intersection of three half planes (points in either winding). */
export function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Sdf {
  const sign = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) > 0 ? 1 : -1;
  const edge = (px: number, py: number, qx: number, qy: number): Sdf => {
    const nx = (qy - py) * sign;
    const ny = -(qx - px) * sign;
    const l = len(nx, ny) || 1;
    return (x, y) => ((x - px) * nx + (y - py) * ny) / l;
  };
  const e1 = edge(ax, ay, bx, by);
  const e2 = edge(bx, by, cx, cy);
  const e3 = edge(cx, cy, ax, ay);
  return (x, y) => Math.max(e1(x, y), e2(x, y), e3(x, y));
}

export const union =
  (a: Sdf, b: Sdf): Sdf =>
  (x, y) =>
    Math.min(a(x, y), b(x, y));

export const intersect =
  (a: Sdf, b: Sdf): Sdf =>
  (x, y) =>
    Math.max(a(x, y), b(x, y));

export const grow =
  (s: Sdf, by: number): Sdf =>
  (x, y) =>
    s(x, y) - by;
