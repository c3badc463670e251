import { useEffect, useState } from 'react';
import { ageText } from '../../../../shared/dto/stripe';
import { connectSubscribers, useSubscribers } from './store';
import './subscribers.css';

/** Status-bar readout: the age of the local Stripe copy, a running sync, or why the last one failed. */
export function LastSync() {
  const status = useSubscribers((s) => s.status);
  const progress = useSubscribers((s) => s.progress);
  const [, tick] = useState(0);
  useEffect(() => {
    connectSubscribers();
    // The age text ("3 min ago") moves on by itself.
    const t = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!status || (!status.key.present && !status.lastGoodSyncAt)) return null;
  if (progress?.running) {
    const fetched = progress.types.reduce((n, t) => n + t.fetched, 0) + progress.events;
    return (
      <span className="last-sync" data-testid="last-sync">
        <span className="dot dot-warn" /> Stripe syncing · {fetched} objects
      </span>
    );
  }
  const last = status.lastSync;
  const offline = last && !last.ok && last.outcome !== 'cancelled';
  return (
    <span className="last-sync" data-testid="last-sync" title={offline ? (last.message ?? undefined) : 'Subscribers and metrics come from this local copy'}>
      <span className={`dot ${offline ? 'dot-bad' : 'dot-ok'}`} /> Stripe {ageText(status.lastGoodSyncAt)}
      {offline ? (last.outcome === 'key-rejected' ? ' · key rejected' : ' · offline copy') : ''}
    </span>
  );
}
