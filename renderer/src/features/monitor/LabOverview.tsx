import type { HostSummary, MonitorHost } from '../../../../shared/dto/monitor';
import { heatClass } from '../../lib/heat';
import { formatDuration, formatValue } from './format';

const STATE_BADGE: Record<MonitorHost['state'], string> = { online: 'badge-ok', offline: 'badge-bad', waiting: '' };

function Temp({ c }: { c: number | null }) {
  return <span className={heatClass(c)}>{c === null ? 'n/a' : `${c.toFixed(0)} °C`}</span>;
}

/** One figure of the overview with the sensor's absence said as "n/a", never 0. */
function pct(v: number | null): string {
  return v === null ? 'n/a' : `${v.toFixed(0)} %`;
}

function Figures({ s }: { s: HostSummary | null }) {
  if (!s) return <td colSpan={5} className="muted">no sample yet</td>;
  return (
    <>
      <td>
        <Temp c={s.cpuTempC} />
      </td>
      <td>
        <Temp c={s.gpuTempC} />
      </td>
      <td title="CPU busy share · load average (1 min)">
        {pct(s.cpuLoadPct)} · {s.load1 === null ? 'n/a' : formatValue(s.load1, '')}
      </td>
      <td>{pct(s.memUsedPct)}</td>
      <td title={s.diskMount ? `The fullest disk: ${s.diskMount}` : undefined}>
        {pct(s.diskUsedPct)}
        {s.diskMount ? <span className="muted"> {s.diskMount}</span> : null}
      </td>
    </>
  );
}

/** Every host of the lab on one card, one row each; a row opens that host's charts and sensors. */
export function LabOverview({ hosts, picked, onPick, now }: { hosts: MonitorHost[]; picked: string | null; onPick(host: string | null): void; now: number }) {
  return (
    <div className="card card-wide lab-overview" data-testid="lab-overview">
      <h2>Lab overview</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Host</th>
            <th>State</th>
            <th>CPU</th>
            <th>GPU</th>
            <th>Load</th>
            <th>Memory</th>
            <th>Disk</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <tr
              key={h.host ?? ''}
              data-testid={`lab-host-${h.host ?? 'local'}`}
              className={`lab-overview-row${h.host === picked ? ' selected' : ''}`}
              tabIndex={0}
              aria-selected={h.host === picked}
              onClick={() => onPick(h.host)}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onPick(h.host)}
              title="Show this host's charts and sensors"
            >
              <th>{h.label}</th>
              <td>
                <span className={`badge ${STATE_BADGE[h.state]}`}>{h.state}</span>
              </td>
              <Figures s={h.summary} />
              <td className="muted">{h.lastSeen === null ? '–' : `${formatDuration(Math.max(0, now - h.lastSeen))} ago`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Which host the Monitor screen shows: this machine or one of the lab hosts. */
export function HostPicker({ hosts, picked, onPick }: { hosts: MonitorHost[]; picked: string | null; onPick(host: string | null): void }) {
  return (
    <label className="host-picker">
      Host
      <select aria-label="Host" data-testid="host-picker" value={picked ?? ''} onChange={(e) => onPick(e.target.value === '' ? null : e.target.value)}>
        {hosts.map((h) => (
          <option key={h.host ?? ''} value={h.host ?? ''}>
            {h.label}
            {h.state === 'offline' ? ' (offline)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
