import type { MonitorSample, Reading } from '../../../../shared/dto/monitor';
import { heatClass } from '../../lib/heat';
import { formatReading } from './format';

function Row({ r }: { r: Reading }) {
  const heat = r.unit === '°C' ? heatClass(r.value) : '';
  return (
    <div className={`sensor-row${r.value === null ? ' sensor-na' : ''}`} data-testid="sensor-row" title={r.reason ?? r.id}>
      <span className="sensor-label">{r.label}</span>
      <span className={`sensor-value ${heat}`}>{formatReading(r)}</span>
      {r.value !== null && r.unit === '%' && (
        <span className="sensor-bar" aria-hidden>
          <span style={{ width: `${Math.min(100, Math.max(0, r.value))}%` }} />
        </span>
      )}
      {r.value === null && r.reason && <span className="sensor-reason">{r.reason}</span>}
    </div>
  );
}

const GROUPS: { title: string; testId: string; pick(r: Reading): boolean }[] = [
  { title: 'CPU', testId: 'card-cpu', pick: (r) => r.family === 'cpu.load' || r.family === 'cpu.core_load' || r.family === 'load.1' },
  { title: 'Temperature sensors', testId: 'card-temps', pick: (r) => r.family === 'cpu.temp' || r.family === 'gpu.temp' || r.family === 'temp.other' },
  { title: 'GPUs', testId: 'card-gpus', pick: (r) => r.family === 'gpu.util' || r.family === 'gpu.mem_used_pct' || r.family === 'gpu.power' },
  { title: 'Fans', testId: 'card-fans', pick: (r) => r.family === 'fan.rpm' },
  { title: 'Memory and disks', testId: 'card-storage', pick: (r) => r.family === 'mem.used_pct' || r.family === 'swap.used_pct' || r.family === 'disk.used_pct' },
  { title: 'Disk and network I/O', testId: 'card-io', pick: (r) => ['disk.read_bps', 'disk.write_bps', 'net.rx_bps', 'net.tx_bps'].includes(r.family) },
  { title: 'System', testId: 'card-system', pick: (r) => r.family === 'uptime' },
];

/** One card per kind of sensor; a sensor that is not there says so, and why, instead of showing 0. */
export function SensorCards({ sample }: { sample: MonitorSample }) {
  const gpuMissing = sample.unavailable.find((u) => u.sensor === 'NVIDIA GPU');
  return (
    <div className="cards monitor-cards">
      {GROUPS.map((g) => {
        const rows = sample.readings.filter(g.pick);
        if (!rows.length && g.testId !== 'card-gpus' && g.testId !== 'card-fans') return null;
        return (
          <div key={g.testId} className="card" data-testid={g.testId}>
            <h2>{g.title}</h2>
            {rows.map((r) => (
              <Row key={r.id} r={r} />
            ))}
            {!rows.length && (
              <div className="muted sensor-reason">
                {g.testId === 'card-gpus' ? (gpuMissing?.reason ?? 'No GPU found.') : (sample.unavailable.find((u) => u.sensor === 'fans')?.reason ?? 'No fan inputs.')}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
