import type { MonthPoint } from '../../../../shared/dto/stripe';

const W = 560;
const H = 180;
const PAD = { l: 64, r: 12, t: 12, b: 26 };

/**
 * A small SVG chart of one value per month: a line (MRR over time) or bars (revenue per month). Plain SVG: the
 * figures are few, and it scales with the card and the theme's colours.
 */
export function MonthChart({ points, kind, format, label }: { points: MonthPoint[]; kind: 'line' | 'bars'; format(v: number): string; label: string }) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const step = iw / Math.max(1, points.length);
  const x = (i: number) => PAD.l + step * i + step / 2;
  const y = (v: number) => PAD.t + ih - (v / max) * ih;
  const ticks = [0, 0.5, 1].map((f) => f * max);
  return (
    <svg className="month-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid={`chart-${kind}`}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} className="mc-grid" />
          <text x={PAD.l - 6} y={y(t) + 4} textAnchor="end" className="mc-axis">
            {format(t)}
          </text>
        </g>
      ))}
      {kind === 'bars'
        ? points.map((p, i) => (
            <rect key={p.month} x={x(i) - step * 0.35} width={step * 0.7} y={y(p.value)} height={Math.max(0, PAD.t + ih - y(p.value))} className="mc-bar">
              <title>{`${p.month}: ${format(p.value)}`}</title>
            </rect>
          ))
        : (
          <>
            <polyline className="mc-line" points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')} />
            {points.map((p, i) => (
              <circle key={p.month} cx={x(i)} cy={y(p.value)} r={3} className="mc-point">
                <title>{`${p.month}: ${format(p.value)}`}</title>
              </circle>
            ))}
          </>
        )}
      {points.map((p, i) =>
        i % 2 === points.length % 2 ? null : (
          <text key={p.month} x={x(i)} y={H - 8} textAnchor="middle" className="mc-axis">
            {p.month.slice(2)}
          </text>
        ),
      )}
    </svg>
  );
}
