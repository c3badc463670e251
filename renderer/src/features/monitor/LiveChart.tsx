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

/** A small time chart of a few series; updates in place as points arrive (no re-creation per sample). */
export function LiveChart({ title, series, points, unit, testId }: { title: string; series: ChartSeries[]; points: SeriesPoints; unit: MetricUnit; testId: string }) {
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
      axes: [axis, { ...axis, size: 76, values: (_u, vals) => vals.map((v) => axisValue(v, unit)) }],
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

  return (
    <div className="card monitor-chart" data-testid={testId} data-points={data[0].length}>
      <h2>{title}</h2>
      {series.length ? <div ref={box} className="monitor-chart-box" /> : <div className="muted">No such sensor on this machine.</div>}
    </div>
  );
}
