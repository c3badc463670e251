import type { AlertRecord } from '../../../../shared/dto/monitor';
import { formatDuration, formatValue } from './format';

export function AlertHistory({ alerts }: { alerts: AlertRecord[] }) {
  if (!alerts.length) return <div className="muted">No alerts yet.</div>;
  return (
    <table className="table monitor-alerts" data-testid="alert-history">
      <thead>
        <tr>
          <th>Started</th>
          <th>Level</th>
          <th>Sensor</th>
          <th>Value / peak</th>
          <th>Cleared</th>
          <th>Sent to</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id} data-testid="alert-row">
            <td>{new Date(a.startedAt).toLocaleString()}</td>
            <td>
              <span className={`badge ${a.level === 'critical' ? 'badge-bad' : 'badge-warn'}`}>{a.level}</span>
              {a.killSwitchTriggered && <span className="badge badge-bad"> kill switch</span>}
            </td>
            <td>{a.label}</td>
            <td>
              {formatValue(a.value, a.unit)} / {formatValue(a.peak, a.unit)}
            </td>
            <td>{a.clearedAt === null ? <span className="badge badge-bad">ongoing</span> : `after ${formatDuration(a.clearedAt - a.startedAt)}`}</td>
            <td className="muted">{a.delivery}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
