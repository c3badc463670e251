/**
 * How many tags (of the given widths, in order) fit in `available` pixels with `gap` between them, leaving room
 * for a "+N" chip of `moreWidth` when some do not. At least one is kept when there are any: the first then
 * shrinks with an ellipsis rather than the strip showing only "+N".
 */
export function tagsThatFit(widths: readonly number[], available: number, gap: number, moreWidth: number): number {
  const n = widths.length;
  if (n === 0) return 0;
  const span = (k: number) => widths.slice(0, k).reduce((a, w) => a + w, 0) + gap * Math.max(0, k - 1);
  // Half a pixel of slack: widths are fractional and a tag that fits must not be dropped by rounding.
  if (span(n) <= available + 0.5) return n;
  for (let k = n - 1; k >= 1; k--) if (span(k) + gap + moreWidth <= available + 0.5) return k;
  return 1;
}
