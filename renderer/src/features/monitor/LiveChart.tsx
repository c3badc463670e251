import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricUnit } from '../../../../shared/dto/monitor';
import { useSettings } from '../../lib/stores/settings';
import { tooltipPlugin } from './chartTooltip';
import { formatClock, formatValue } from './format';
import type { SeriesPoints } from './store';

export interface ChartSeries {
  id: string;
  label: string;
}

/** How many distinct series colours the theme defines (--chart-1 … --chart-8 in monitor.css). */
const PALETTE_SIZE = 8;

/** The theme's series colours: distinct hues, each at least 3:1 against the card in its theme. */
function palette(css: CSSStyleDeclaration): string[] {
  return Array.from({ length: PALETTE_SIZE }, (_, i) => css.getPropertyValue(`--chart-${i + 1}`).trim() || '#888');
}

/** Aligns the series on one time axis (uPlot wants columns: x in seconds, then one array per series). */
export function toColumns(series: ChartSeries[], points: SeriesPoints): uPlot.AlignedData {
  const times = new Set<number>();
  for (const s of series) for (const [t] of points.get(s.id) ?? []) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [t, v] of points.get(s.id) ?? []) col[index.get(t)!] = v;
    return col;
  });
  return [xs.map((t) => t / 1000), ...ys];
}

/** Axis ticks: short, and precise enough that neighbouring ticks never read the same. */
function axisValue(v: number, unit: MetricUnit): string {
  if (unit === 'B/s') {
    const [div, name] = v >= 1e9 ? [1e9, 'GB/s'] : v >= 1e6 ? [1e6, 'MB/s'] : v >= 1e3 ? [1e3, 'kB/s'] : [1, 'B/s'];
    return `${Math.round((v / div) * 10) / 10} ${name}`;
  }
  if (unit === '%') return `${Math.round(v)} %`;
  if (unit === '°C') return `${Math.round(v * 10) / 10} °C`;
  return formatValue(v, unit);
}

/**
 * Time-axis labels short enough to fit between ticks (uPlot's default "11/28/26" was clipped at the edge), in the
 * locale's clock like the header and the tooltip: the time of day, with seconds over a few minutes, the date over
 * several days.
 */
export function timeAxisLabels(splits: readonly number[], spanSec: number): string[] {
  return splits.map((sec) => {
    if (spanSec > 2 * 86_400) return new Date(sec * 1000).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
    return formatClock(sec * 1000, { seconds: spanSec <= 180 });
  });
}

/** True when no series has a single reading: the chart would be an empty frame. */
export function hasNoReadings(series: ChartSeries[], points: SeriesPoints): boolean {
  return series.every((s) => (points.get(s.id) ?? []).every(([, v]) => v === null));
}

interface Props {
  title: string;
  series: ChartSeries[];
  points: SeriesPoints;
  unit: MetricUnit;
  testId: string;
  /** Said in place of the chart when there is nothing to draw: what it means and what to do. */
  empty: string;
  /** Controls in the card's header, after the title. */
  actions?: ReactNode;
}

/**
 * A small time chart of a few series; updates in place as points arrive (no re-creation per sample). Hovering
 * shows a crosshair and a tooltip with every series' value in its unit. With no readings at all it shows its
 * message alone (no axes whose ticks all read the same, no gridlines through the words).
 */
export function LiveChart({ title, series, points, unit, testId, empty, actions }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useSettings((s) => s.theme);
  const key = series.map((s) => s.id).join('|');
  const data = useMemo(() => toColumns(series, points), [series, points]);
  const noReadings = series.length > 0 && hasNoReadings(series, points);

  useEffect(() => {
    const el = box.current;
    if (!el || !series.length || noReadings) return;
    const css = getComputedStyle(el);
    const muted = css.getPropertyValue('--muted').trim() || '#888';
    const line = css.getPropertyValue('--line').trim() || '#444';
    const colors = palette(css);
    const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 170,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      plugins: [tooltipPlugin(unit, testId)],
      scales: { x: { time: true }, y: unit === '%' ? { range: [0, 100] } : {} },
      // Room on the right for the last time label ("12:58:10 AM" in a 12-hour locale), centred on its tick.
      padding: [8, 36, 0, 0],
      axes: [
        {
          ...axis,
          space: 84,
          values: (u, splits) => {
            const labels = timeAxisLabels(splits, (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0));
            el.dataset.timeLabels = labels.join('|'); // the canvas's words, for a person's tools and the tests
            return labels;
          },
        },
        { ...axis, size: 76, values: (_u, vals) => vals.map((v) => axisValue(v, unit)) },
      ],
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 1.75, spanGaps: false }))],
    };
    plot.current = new uPlot(opts, toColumns(series, points), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 170 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series, the unit, the theme (its colours) or having readings at all changes;
    // data flows through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, unit, theme, noReadings]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    // The card carries the theme itself: the colours are read in an effect, which runs before the shell's effect
    // marks the new theme on <html>.
    <div className="card monitor-chart" data-theme={theme} data-testid={testId} data-points={data[0].length}>
      <div className="monitor-chart-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {series.length && !noReadings ? (
        <div className="monitor-chart-frame">
          <div ref={box} className="monitor-chart-box" />
        </div>
      ) : (
        <div className="monitor-chart-empty-box muted" data-testid={`${testId}-empty`}>
          {series.length && !data[0].length ? 'Collecting the first readings…' : empty}
        </div>
      )}
    </div>
  );
}
