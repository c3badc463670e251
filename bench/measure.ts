/**
 * How every bench takes a figure. A ratio of two things (A ÷ B) is the median of interleaved pairs: A and B run
 * back to back, many times, and each pair gives one ratio; the first of each pair alternates (A B, B A, A B …) so
 * neither side always runs on a warmer cache. A load swing that lasts seconds then hits both sides of the pairs it
 * spans, instead of all of A and none of B as when every A runs before every B.
 */

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new Error('percentile of no samples');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** The middle sample; with an even count, the mean of the two middle ones. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface PairedRatio {
  /** Median of a[i] ÷ b[i]. */
  ratio: number;
  /** Every pair's ratio, in the order run. */
  pairRatios: number[];
  a: number[];
  b: number[];
  medianA: number;
  medianB: number;
}

/** The median of per-pair ratios a[i] ÷ b[i] (the arithmetic of `interleavedPairs`, for samples taken elsewhere). */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  if (a.length !== b.length || a.length === 0) throw new Error(`paired samples must match in count (got ${a.length} and ${b.length})`);
  const pairRatios = a.map((x, i) => x / b[i]!);
  return { ratio: median(pairRatios), pairRatios, a: [...a], b: [...b], medianA: median(a), medianB: median(b) };
}

/**
 * Runs `pairs` pairs of A and B (each call resolves to its measured figure: ms, files/s …) and returns the median
 * of the pair ratios A ÷ B. Pair i runs A first when (i + offset) is even: a caller that takes one pair per round
 * passes the round as `offset` so the order still alternates. `onPair` sees each pair as it lands.
 */
export async function interleavedPairs(
  pairs: number,
  a: (i: number) => Promise<number>,
  b: (i: number) => Promise<number>,
  opts: { offset?: number; onPair?: (i: number, a: number, b: number) => void } = {},
): Promise<PairedRatio> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let x: number;
    let y: number;
    if ((i + (opts.offset ?? 0)) % 2 === 0) {
      x = await a(i);
      y = await b(i);
    } else {
      y = await b(i);
      x = await a(i);
    }
    as.push(x);
    bs.push(y);
    opts.onPair?.(i, x, y);
  }
  return pairedRatio(as, bs);
}

/** Wall time of one call, ms. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * `npm run bench <name> -- --quick`: fewer rounds and smaller inputs, to see that a bench runs end to end. Its
 * figures are not comparable with a full run, so its result goes to the temp folder, not bench/results.
 */
export function quickRun(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--quick');
}

/** `full` rounds normally, `quick` with --quick. */
export function rounds(full: number, quick: number): number {
  return quickRun() ? quick : full;
}
