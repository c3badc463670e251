import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricUnit } from '../../../../shared/dto/monitor';
import { formatValue } from './format';
import type { SeriesPoints } from './store';

export interface ChartSeries {
  id: string;
  label: string;
}

const COLORS = ['#ff5fb7', '#b38cff', '#4fd18b', '#ffb547', '#5fc8ff', '#ff5a6a', '#c9c27a', '#9aa7ff'];

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
 * Time-axis labels short enough to fit between ticks (uPlot's default "11/28/26" was clipped at the edge): the
 * time of day, with seconds over a few minutes, the date over several days.
 */
export function timeAxisLabels(splits: readonly number[], spanSec: number): string[] {
  return splits.map((sec) => {
    const d = new Date(sec * 1000);
    if (spanSec > 2 * 86_400) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
    const pad = (n: number) => String(n).padStart(2, '0');
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    return spanSec <= 180 ? `${hm}:${pad(d.getSeconds())}` : hm;
  });
}

/** True when no series has a single reading: the chart would be an empty frame. */
export function hasNoReadings(series: ChartSeries[], points: SeriesPoints): boolean {
  return series.every((s) => (points.get(s.id) ?? []).every(([, v]) => v === null));
}

/** A small time chart of a few series; updates in place as points arrive (no re-creation per sample). */
export function LiveChart({ title, series, points, unit, testId, empty }: { title: string; series: ChartSeries[]; points: SeriesPoints; unit: MetricUnit; testId: string; empty: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = series.map((s) => s.id).join('|');
  const data = useMemo(() => toColumns(series, points), [series, points]);

  useEffect(() => {
    const el = box.current;
    if (!el || !series.length) return;
    const css = getComputedStyle(document.documentElement);
    const muted = css.getPropertyValue('--muted').trim() || '#888';
    const line = css.getPropertyValue('--line').trim() || '#444';
    const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 170,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: unit === '%' ? { range: [0, 100] } : {} },
      // Room on the right for the last time label, which uPlot centres on its tick.
      padding: [8, 18, 0, 0],
      axes: [{ ...axis, space: 64, values: (u, splits) => timeAxisLabels(splits, (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0)) }, { ...axis, size: 76, values: (_u, vals) => vals.map((v) => axisValue(v, unit)) }],
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }))],
    };
    plot.current = new uPlot(opts, toColumns(series, points), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 170 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series or the unit changes; data flows through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, unit]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const noReadings = series.length > 0 && hasNoReadings(series, points) && data[0].length > 0;
  return (
    <div className="card monitor-chart" data-testid={testId} data-points={data[0].length}>
      <h2>{title}</h2>
      {series.length ? (
        <div className="monitor-chart-frame">
          <div ref={box} className="monitor-chart-box" />
          {noReadings && (
            <p className="monitor-chart-empty muted" data-testid={`${testId}-empty`}>
              {empty}
            </p>
          )}
        </div>
      ) : (
        <div className="monitor-chart-empty-box muted" data-testid={`${testId}-empty`}>
          {empty}
        </div>
      )}
    </div>
  );
}
