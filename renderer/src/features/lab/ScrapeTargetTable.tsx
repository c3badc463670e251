import type { ScrapeTarget } from '../../../../shared/dto/lab';

function fmt(v: number | null, unit: string): string {
  return v === null ? '–' : `${Math.round(v * 10) / 10}${unit}`;
}

function uptime(sec: number | null): string {
  if (sec === null) return '–';
  const d = Math.floor(sec / 86_400);
  const h = Math.floor((sec % 86_400) / 3600);
  return d ? `${d} d ${h} h` : `${h} h ${Math.floor((sec % 3600) / 60)} min`;
}

/** Hosts without an agent, read from their node_exporter: up with headline readings, or down with why. */
export function ScrapeTargetTable({ targets }: { targets: ScrapeTarget[] }) {
  return (
    <div className="card" style={{ marginTop: 16 }}>
      <h2>Hosts read through node_exporter</h2>
      <table className="table" data-testid="lab-targets-table">
        <thead>
          <tr>
            <th>Host</th>
            <th>State</th>
            <th>CPU</th>
            <th>Memory</th>
            <th>Hottest</th>
            <th>Load</th>
            <th>Up for</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => (
            <tr key={t.url} data-testid="lab-target">
              <th>
                {t.host}
                <div className="muted mono small">{t.url}</div>
              </th>
              <td>
                <span className={`badge ${t.state === 'up' ? 'badge-ok' : t.state === 'down' ? 'badge-bad' : ''}`} data-testid="lab-target-state">
                  {t.state === 'pending' ? 'not read yet' : t.state}
                </span>
                {t.error && <div className="form-error small">{t.error}</div>}
              </td>
              <td>{fmt(t.summary?.cpuPct ?? null, ' %')}</td>
              <td>{fmt(t.summary?.memUsedPct ?? null, ' %')}</td>
              <td>{fmt(t.summary?.hottestC ?? null, ' °C')}</td>
              <td>{fmt(t.summary?.load1 ?? null, '')}</td>
              <td>{uptime(t.summary?.uptimeSec ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
