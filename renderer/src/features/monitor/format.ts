import type { MetricUnit, Reading } from '../../../../shared/dto/monitor';

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a';
  switch (unit) {
    case '%':
      return `${value.toFixed(1)} %`;
    case '°C':
      return `${value.toFixed(1)} °C`;
    case 'B/s':
      if (value >= 1e9) return `${(value / 1e9).toFixed(2)} GB/s`;
      if (value >= 1e6) return `${(value / 1e6).toFixed(1)} MB/s`;
      return `${(value / 1e3).toFixed(1)} kB/s`;
    case 'W':
      return `${value.toFixed(0)} W`;
    case 'rpm':
      return `${Math.round(value)} rpm`;
    case 's': {
      const d = Math.floor(value / 86_400);
      const h = Math.floor((value % 86_400) / 3600);
      const m = Math.floor((value % 3600) / 60);
      return d ? `${d} d ${h} h` : `${h} h ${m} min`;
    }
    default:
      return String(Math.round(value * 100) / 100);
  }
}

export function formatReading(r: Reading): string {
  return formatValue(r.value, r.unit);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A time of day in the person's locale (12- or 24-hour as their system says), the one format of the Monitor:
 * its header, its chart axes and its tooltips. `seconds` adds the seconds; `date` puts the short date first.
 */
export function formatClock(ms: number, opts: { seconds?: boolean; date?: boolean } = {}): string {
  const key = `${opts.seconds ? 's' : ''}${opts.date ? 'd' : ''}`;
  let f = clockFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', ...(opts.seconds ? { second: '2-digit' } : {}), ...(opts.date ? { month: 'short', day: 'numeric' } : {}) });
    clockFormats.set(key, f);
  }
  return f.format(ms);
}
