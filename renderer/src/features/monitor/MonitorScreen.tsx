import { useEffect, useMemo, useState } from 'react';
import type { MonitorSample, Reading } from '../../../../shared/dto/monitor';
import { AlertHistory } from './AlertHistory';
import { HostPicker, LabOverview } from './LabOverview';
import { LiveChart, type ChartSeries } from './LiveChart';
import { MonitorSettings } from './MonitorSettings';
import { formatClock } from './format';
import { isVirtualInterface } from './netInterfaces';
import { SensorCards } from './SensorCards';
import { RANGES, subscribeMonitor, useMonitor, type RangeKey } from './store';
import './monitor.css';

interface ChartDef {
  title: string;
  /** Said inside the chart when this machine has no such sensor: what it means and what to do. */
  empty: string;
  testId: string;
  unit: Reading['unit'];
  pick(r: Reading): boolean;
  max: number;
}

const CHARTS: ChartDef[] = [
  {
    title: 'Temperatures',
    empty: 'No temperature sensor reports here. A virtual machine or container usually has none; on a lab machine, load its sensor drivers (Linux: run sensors-detect from lm-sensors, then restart the studio).',
    testId: 'chart-temps',
    unit: '°C',     pick: (r) => (r.family === 'cpu.temp' && !/core/i.test(r.label)) || r.family === 'gpu.temp',
    max: 6,
  },
  { title: 'CPU and GPU load', empty: 'No load readings yet; they appear with the next sample.', testId: 'chart-load', unit: '%', pick: (r) => r.family === 'cpu.load' || r.family === 'gpu.util', max: 6 },
  { title: 'Memory', empty: 'No memory readings yet; they appear with the next sample.', testId: 'chart-memory', unit: '%', pick: (r) => r.family === 'mem.used_pct' || r.family === 'swap.used_pct', max: 2 },
  { title: 'Network', empty: 'No network interface to chart (only loopback, or none is up).', testId: 'chart-net', unit: 'B/s', pick: (r) => r.family === 'net.rx_bps' || r.family === 'net.tx_bps', max: 6 },
];

function isVirtualReading(r: Reading): boolean {
  return (r.family === 'net.rx_bps' || r.family === 'net.tx_bps') && isVirtualInterface(r.id.slice(r.id.indexOf(':') + 1));
}

/** The chart series for this machine, from the sensors the newest sample has (stable while they stay the same). */
function chartSeries(sample: MonitorSample | null, showVirtual: boolean): ChartSeries[][] {
  return CHARTS.map((c) => (sample?.readings.filter((r) => c.pick(r) && (showVirtual || !isVirtualReading(r))).slice(0, c.max) ?? []).map((r) => ({ id: r.id, label: r.label })));
}

/** How often the lab overview is refreshed (agents publish every 2 s). */
const HOSTS_REFRESH_MS = 2000;

export function MonitorScreen() {
  const local = useMonitor((s) => s.latest);
  const host = useMonitor((s) => s.host);
  const hostSample = useMonitor((s) => s.hostSample);
  const hosts = useMonitor((s) => s.hosts);
  // The screen shows the picked host; this machine's sample keeps feeding the status bar meanwhile.
  const latest = host === null ? local : hostSample;
  const history = useMonitor((s) => s.history);
  const range = useMonitor((s) => s.range);
  const resolution = useMonitor((s) => s.resolution);
  const alerts = useMonitor((s) => s.alerts);
  const error = useMonitor((s) => s.error);
  const { loadCurrent, loadHistory, loadAlerts, setRange, loadHosts, pickHost } = useMonitor.getState();
  const [now, setNow] = useState(Date.now());
  const [showVirtual, setShowVirtual] = useState(false);
  const virtualCount = (latest?.readings ?? []).filter((r) => r.family === 'net.rx_bps' && isVirtualReading(r)).length;

  useEffect(() => {
    void loadCurrent();
    void loadAlerts();
    void loadHosts();
    const t = setInterval(() => {
      void loadHosts();
      setNow(Date.now());
    }, HOSTS_REFRESH_MS);
    const off = subscribeMonitor();
    return () => {
      clearInterval(t);
      off();
    };
  }, [loadCurrent, loadAlerts, loadHosts]);
  const lab = hosts.length > 1;
  const picked = hosts.find((h) => h.host === host);

  const seriesKey = chartSeries(latest, showVirtual)
    .map((s) => s.map((x) => x.id).join(','))
    .join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const series = useMemo(() => chartSeries(latest, showVirtual), [seriesKey]);

  useEffect(() => {
    const ids = series.flat().map((s) => s.id);
    void loadHistory(ids);
    // Minute averages do not arrive live: refresh them once a minute.
    if (RANGES[range] <= 3600) return;
    const t = setInterval(() => void loadHistory(ids), 60_000);
    return () => clearInterval(t);
  }, [series, range, host, loadHistory]);

  return (
    <section className="screen monitor-screen">
      <header className="screen-head">
        <h1>Monitor</h1>
        <div className="row">
          {lab && <HostPicker hosts={hosts} picked={host} onPick={(h) => void pickHost(h)} />}
          {latest && (
            <span className="muted" data-testid="monitor-updated">
              {formatClock(latest.at, { seconds: true })} · {latest.source} · {latest.costMs} ms CPU per sample
            </span>
          )}
          <div className="segmented" role="radiogroup" aria-label="Chart range">
            {(Object.keys(RANGES) as RangeKey[]).map((k) => (
              <button key={k} role="radio" aria-checked={range === k} className={range === k ? 'on' : ''} onClick={() => setRange(k)} data-testid={`range-${k}`}>
                {k}
              </button>
            ))}
          </div>
        </div>
      </header>
      {lab && <LabOverview hosts={hosts} picked={host} onPick={(h) => void pickHost(h)} now={now} />}
      {host !== null && picked?.state === 'offline' && (
        <div className="banner banner-bad">{picked.label} has stopped reporting: these are its last figures. Check the host, its network and its "church agent" service.</div>
      )}
      {error && !latest && <div className="banner banner-bad">{host === null ? `The monitor is not answering: ${error}` : error}</div>}
      {!latest ? (
        <div className="empty">{host === null ? 'Reading the sensors…' : `Waiting for ${host}'s first sample…`}</div>
      ) : (
        <>
          <div className="monitor-charts">
            {CHARTS.map((c, i) => (
              <LiveChart
                key={c.testId}
                title={`${c.title}${resolution === 'minute' ? ' (minute averages)' : ''}`}
                series={series[i]!}
                points={history}
                unit={c.unit}
                testId={c.testId}
                empty={c.empty}
                actions={
                  c.testId === 'chart-net' && virtualCount > 0 ? (
                    <label className="monitor-chart-toggle" title="Loopback, traffic shaping (ifb), containers (veth, docker, br-) and virtual machines' bridges (virbr)">
                      <input type="checkbox" checked={showVirtual} onChange={(e) => setShowVirtual(e.target.checked)} data-testid="net-show-virtual" />
                      Virtual interfaces ({virtualCount})
                    </label>
                  ) : undefined
                }
              />
            ))}
          </div>
          <SensorCards sample={latest} />
        </>
      )}
      <div className="card card-wide monitor-history">
        <h2>Alert history</h2>
        <AlertHistory alerts={alerts} />
      </div>
      <details className="monitor-rules-details">
        <summary>Rules, e-mail and Prometheus</summary>
        <MonitorSettings />
      </details>
    </section>
  );
}
