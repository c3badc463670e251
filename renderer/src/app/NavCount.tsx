import { useEffect } from 'react';
import { useJobs } from '../features/jobs/store';
import { useMonitor } from '../features/monitor/store';

/**
 * Real counts beside a sidebar entry: jobs running or waiting, alerts not cleared. Nothing when zero. (The
 * Ctrl+N shortcuts are in the entry's tooltip and the ? overlay, not here, where a "2" read like a count.)
 */
export function NavCount({ route }: { route: string }) {
  const jobs = useJobs((s) => (route === 'jobs' ? s.jobs.filter((j) => j.status === 'running' || j.status === 'paused' || j.status === 'queued').length : 0));
  const alerts = useMonitor((s) => (route === 'monitor' ? s.alerts.filter((a) => a.clearedAt === null).length : 0));
  useEffect(() => {
    // The status bar keeps the jobs list and monitor events live; the open alerts are read once here.
    if (route === 'monitor') void useMonitor.getState().loadAlerts();
  }, [route]);
  const n = route === 'jobs' ? jobs : alerts;
  if (!n) return null;
  const what = route === 'jobs' ? `${n} job${n === 1 ? '' : 's'} running or queued` : `${n} open alert${n === 1 ? '' : 's'}`;
  return (
    <span className={`nav-count${route === 'monitor' ? ' nav-count-alert' : ''}`} title={what} aria-label={what} data-testid={`nav-count-${route}`}>
      {n}
    </span>
  );
}
