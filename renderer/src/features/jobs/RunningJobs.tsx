import { useEffect } from 'react';
import './jobs.css';
import { useNav } from '../../lib/stores/nav';
import { subscribeJobs, useJobs } from './store';

/** Status-bar readout: how many jobs run, the overall progress of the running ones; nothing when idle. */
export function RunningJobs() {
  const jobs = useJobs((s) => s.jobs);
  const progress = useJobs((s) => s.progress);
  const queue = useJobs((s) => s.queue);
  const go = useNav((s) => s.go);
  useEffect(() => {
    const off = subscribeJobs();
    void useJobs.getState().load();
    return off;
  }, []);
  const running = jobs.filter((j) => j.status === 'running' || j.status === 'paused');
  const queued = jobs.filter((j) => j.status === 'queued').length;
  if (running.length === 0 && queued === 0) return null;
  const pcts = running.map((j) => progress[j.id]?.percent ?? 0);
  const avg = pcts.length ? pcts.reduce((a, b) => a + b, 0) / pcts.length : 0;
  const paused = queue?.paused ? running.length : running.filter((j) => j.status === 'paused').length;
  const moving = running.length - paused;
  const label = [moving ? `${moving} job${moving === 1 ? '' : 's'} running` : '', paused ? `${paused} paused` : '', queued ? `${queued} queued` : ''].filter(Boolean).join(', ');
  return (
    <button className="running-jobs" onClick={() => go('jobs')} title="Open the job queue" data-testid="running-jobs">
      <span className="running-jobs-bar" aria-hidden="true">
        <span style={{ width: `${avg}%` }} />
      </span>
      {label}
      {running.length > 0 && ` · ${avg.toFixed(0)}%`}
    </button>
  );
}
