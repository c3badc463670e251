import { describe, expect, it } from 'vitest';
import { isLoaded, loadNote, targetLine, waitForQuiet } from '../../bench/load';
import { interleavedPairs, median, pairedRatio, percentile } from '../../bench/measure';
import { benchResultBody } from '../../bench/write-result';

describe('bench arithmetic', () => {
  it('takes the median of odd and even counts and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 95)).toBe(40);
    expect(() => median([])).toThrow(/no samples/);
  });

  it('takes the ratio as the median of the pairs, not the ratio of the medians', () => {
    // A load swing doubles both sides of the second pair: pair ratios are 2, 2, 3 → 2.
    const r = pairedRatio([200, 400, 300], [100, 200, 100]);
    expect(r.pairRatios).toEqual([2, 2, 3]);
    expect(r.ratio).toBe(2);
    expect(r.medianA).toBe(300);
    expect(r.medianB).toBe(100);
    expect(() => pairedRatio([1, 2], [1])).toThrow(/match/);
  });

  it('runs A and B interleaved, alternating which goes first, and pairs them by round', async () => {
    const order: string[] = [];
    const r = await interleavedPairs(
      4,
      async (i) => {
        order.push(`A${i}`);
        return 10 * (i + 1);
      },
      async (i) => {
        order.push(`B${i}`);
        return 5 * (i + 1);
      },
    );
    expect(order).toEqual(['A0', 'B0', 'B1', 'A1', 'A2', 'B2', 'B3', 'A3']);
    expect(r.a).toEqual([10, 20, 30, 40]);
    expect(r.b).toEqual([5, 10, 15, 20]);
    expect(r.ratio).toBe(2);
  });

  it('starts with B when the offset is odd (one pair per round)', async () => {
    const order: string[] = [];
    await interleavedPairs(1, async () => (order.push('A'), 1), async () => (order.push('B'), 1), { offset: 1 });
    expect(order).toEqual(['B', 'A']);
  });
});

describe('bench load', () => {
  const t = { name: 'church list --json ÷ node -e 0', value: 1.8, unit: '×', target: '≤ 2', met: true };

  it('marks a run started at load 1.0 or more in its MET/MISS line, and a quiet one not', () => {
    expect(isLoaded(0.99)).toBe(false);
    expect(isLoaded(1)).toBe(true);
    expect(targetLine(t, 3.4)).toBe('MET (loaded: 3.4 — not a quiet figure) church list --json ÷ node -e 0: 1.8 × (target ≤ 2)');
    expect(targetLine({ ...t, met: false }, 0.3)).toBe('MISS church list --json ÷ node -e 0: 1.8 × (target ≤ 2)');
    expect(loadNote(0.5)).toBe('');
  });

  it('records the load before and after and the machine in the result', () => {
    const body = benchResultBody('cli', { targets: [t] }, { before1m: 2.5, after1m: 1.2, waitedSec: 60 }, new Date('2026-01-02T03:04:05Z'));
    expect(body.at).toBe('2026-01-02T03:04:05.000Z');
    expect(body.load).toEqual({ before1m: 2.5, after1m: 1.2, waitedSec: 60, quiet: false, quietBelow: 1 });
    expect(body.machine.cpus).toBeGreaterThan(0);
    expect(body.machine.node).toBe(process.versions.node);
    expect(benchResultBody('cli', { targets: [] }, { before1m: 0.4, after1m: 0.6, waitedSec: 0 }).load.quiet).toBe(true);
  });

  it('waits for the load to drop, saying so, and starts at once on a quiet machine', async () => {
    const said: string[] = [];
    const loads = [2.1, 1.5, 0.7];
    const r = await waitForQuiet({ read: () => loads.shift() ?? 0.7, pollMs: 0, maxMs: 60_000, say: (l) => said.push(l) });
    expect(r.load).toBe(0.7);
    expect(said[0]).toMatch(/is 2.1: waiting up to 60 s .*--no-wait/);
    expect(said[1]).toMatch(/load is 0.7 after \d+ s: starting/);
    const quiet: string[] = [];
    expect(await waitForQuiet({ read: () => 0.2, say: (l) => quiet.push(l) })).toEqual({ waitedSec: 0, load: 0.2 });
    expect(quiet).toEqual([]);
  });

  it('gives up after the longest wait and says the figures will be marked', async () => {
    const said: string[] = [];
    const r = await waitForQuiet({ read: () => 5, pollMs: 0, maxMs: 0, say: (l) => said.push(l) });
    expect(r.load).toBe(5);
    expect(said.at(-1)).toMatch(/still 5 .* starting anyway; this run's figures are marked as loaded/);
  });
});
