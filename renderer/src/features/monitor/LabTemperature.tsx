import { useEffect } from 'react';
import { heatClass } from '../../lib/heat';
import { subscribeMonitor, useMonitor } from './store';
import './monitor.css';

/** The status-bar readout: the hottest CPU/GPU sensor right now (live), or why there is none. */
export function LabTemperature() {
  const latest = useMonitor((s) => s.latest);
  let hottest: { label: string; value: number } | null = null;
  for (const r of latest?.readings ?? []) {
    if ((r.family === 'cpu.temp' || r.family === 'gpu.temp') && r.value !== null && (!hottest || r.value > hottest.value)) hottest = { label: r.label, value: r.value };
  }
  const hasSample = latest !== null;
  useEffect(() => {
    if (!useMonitor.getState().latest) void useMonitor.getState().loadCurrent();
    return subscribeMonitor();
  }, []);
  if (!hasSample) return null;
  return (
    <span className="lab-temperature" data-testid="lab-temperature" title={hottest ? `Hottest: ${hottest.label}` : 'No CPU or GPU temperature sensor on this machine'}>
      ♨ {hottest ? <span className={heatClass(hottest.value)}>{hottest.value.toFixed(0)} °C</span> : <span className="muted">n/a</span>}
    </span>
  );
}
