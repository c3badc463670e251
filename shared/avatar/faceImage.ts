/**
 * A picture as the avatar's face (a frame of a library video, or an image file): a square of straight RGBA that
 * the main process cuts from the source with ffmpeg (centred, scaled to FACE_IMAGE_SIZE) and both the preview and
 * the bake resample into the face's circle with the same arithmetic, so they draw the same bytes.
 */
export const FACE_IMAGE_SIZE = 160;

export interface FaceImage {
  /** Side in pixels (square). */
  size: number;
  /** size x size straight RGBA. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/** The picture's colour at (u, v) in 0..1, bilinear between its pixel centres; [r, g, b, a] in 0..1. */
export function sampleFaceImage(img: FaceImage, u: number, v: number, out: Float64Array): void {
  const n = img.size;
  const fx = Math.min(n - 1, Math.max(0, u * n - 0.5));
  const fy = Math.min(n - 1, Math.max(0, v * n - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(n - 1, x0 + 1);
  const y1 = Math.min(n - 1, y0 + 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const p = img.rgba;
  for (let c = 0; c < 4; c++) {
    const a = p[(y0 * n + x0) * 4 + c]! * (1 - tx) + p[(y0 * n + x1) * 4 + c]! * tx;
    const b = p[(y1 * n + x0) * 4 + c]! * (1 - tx) + p[(y1 * n + x1) * 4 + c]! * tx;
    out[c] = (a * (1 - ty) + b * ty) / 255;
  }
}

export function faceImageFromBase64(size: number, base64: string): FaceImage {
  const bin = atob(base64);
  const rgba = new Uint8ClampedArray(bin.length);
  for (let i = 0; i < bin.length; i++) rgba[i] = bin.charCodeAt(i);
  if (rgba.length !== size * size * 4) throw new Error(`a face picture of ${size}x${size} needs ${size * size * 4} bytes; got ${rgba.length}`);
  return { size, rgba };
}
