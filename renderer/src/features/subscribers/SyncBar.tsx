import { ageText, type SyncProgress } from '../../../../shared/dto/stripe';
import { useSubscribers } from './store';

/** Objects per type, requests and rate of the running sync, with a cancel button. */
export function SyncProgressPanel({ progress }: { progress: SyncProgress }) {
  const cancel = useSubscribers((s) => s.cancel);
  const done = progress.types.filter((t) => t.state === 'done' || t.state === 'forbidden').length;
  const fraction = progress.kind === 'incremental' ? 0.5 : done / progress.types.length;
  return (
    <div className="sync-progress card" data-testid="sync-progress">
      <div className="row spread">
        <strong>{progress.kind === 'incremental' ? `Catching up: ${progress.events} events` : 'Full sync'}</strong>
        <span className="muted">
          {progress.requests} requests · {progress.requestRate}/s · {progress.objectRate} objects/s{progress.retries ? ` · ${progress.retries} retried` : ''}
        </span>
        <button className="button secondary" onClick={() => void cancel()} data-testid="sync-cancel">
          Cancel
        </button>
      </div>
      <progress max={1} value={fraction} />
      <div className="sync-types">
        {progress.types.map((t) => (
          <span key={t.type} className={`sync-type sync-${t.state}`}>
            {t.type} {t.fetched}
            {t.state === 'forbidden' ? ' (no permission)' : ''}
          </span>
        ))}
      </div>
    </div>
  );
}

/** The screen's head: data age, sync / full sync buttons, and the last run's outcome when it was not clean. */
export function SyncControls() {
  const { status, progress, sync } = useSubscribers();
  const running = progress?.running === true;
  const last = status?.lastSync;
  return (
    <div className="sync-controls">
      <span className="muted" data-testid="data-age" title={status?.lastGoodSyncAt ?? undefined}>
        {ageText(status?.lastGoodSyncAt ?? null)}
        {last && !last.ok ? ` · last attempt ${last.outcome}` : ''}
      </span>
      <button className="button" onClick={() => void sync(false)} disabled={running || !status?.key.present} data-testid="sync-button" title={status?.key.present ? 'Fetch what changed since the last sync' : 'Paste a restricted key in Settings → Stripe first'}>
        {running ? 'Syncing…' : 'Sync now'}
      </button>
      <button className="button secondary" onClick={() => void sync(true)} disabled={running || !status?.key.present} title="Re-read everything from Stripe (the current data stays until it completes)">
        Full sync
      </button>
    </div>
  );
}
