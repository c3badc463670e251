import { useEffect } from 'react';
import { useNav } from '../../lib/stores/nav';
import { subscribeKillSwitch, useKillSwitch } from './store';

/** At start, a real run the owner has not seen yet (e.g. the one that powered the lab off) is shown first. */
export function KillReportBanner() {
  const run = useKillSwitch((s) => s.run);
  const load = useKillSwitch((s) => s.load);
  const go = useNav((s) => s.go);
  useEffect(() => {
    void load();
    return subscribeKillSwitch();
  }, [load]);
  if (!run || run.dryRun || run.acknowledged) return null;
  return (
    <div className="banner banner-bad app-banner" role="alert" data-testid="kill-banner">
      <span>
        The kill switch {run.status === 'running' ? 'is running' : 'ran'} at {new Date(run.startedAt).toLocaleString()} ({run.status}).
      </span>
      <button className="button secondary" onClick={() => go('killswitch')}>
        View report
      </button>
    </div>
  );
}
