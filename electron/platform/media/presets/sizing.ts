/**
 * Output sizes for every preset and for posters/sprites, from the source's display shape (rotation and
 * non-square pixels already applied by the probe). One rule everywhere: a size limit applies to the short
 * side (a "1080p" portrait rendition is 1080x1920, like a phone says), nothing is ever scaled up, the display
 * aspect ratio is kept, and both sides are even (H.264 4:2:0 needs it).
 */

export interface Size {
  width: number;
  height: number;
}

export function even(n: number): number {
  // Down to even, never up: an odd source loses one line instead of being stretched.
  return Math.max(2, Math.floor(n / 2) * 2);
}

export function shortSide(s: Size): number {
  return Math.min(s.width, s.height);
}

/** The display size with its short side at most `limit` (null: no limit); never larger than the display. */
export function fitShortSide(display: Size, limit: number | null): Size {
  const short = shortSide(display);
  const scale = limit !== null && short > limit ? limit / short : 1;
  return { width: even(display.width * scale), height: even(display.height * scale) };
}

/** The display size with its long side at most `limit`: for posters and sprite tiles, which fill a box. */
export function fitLongSide(display: Size, limit: number): Size {
  const long = Math.max(display.width, display.height);
  const scale = long > limit ? limit / long : 1;
  return { width: even(display.width * scale), height: even(display.height * scale) };
}

/** What a rendition is called: its short side, "720p" for 1280x720 and for 720x1280 alike. */
export function renditionName(s: Size): string {
  return `${shortSide(s)}p`;
}

/** A person's label for a size: "720p portrait (720×1280)", "1080p square (1080×1080)". */
export function describeSize(s: Size): string {
  const shape = s.width === s.height ? ' square' : s.height > s.width ? ' portrait' : '';
  return `${renditionName(s)}${shape} (${s.width}×${s.height})`;
}
