import { ageText, type SyncProgress } from '../../../../shared/dto/stripe';
import { Button } from '../../ui/Button';
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
        <Button variant="secondary" onClick={() => void cancel()} data-testid="sync-cancel">
          Cancel
        </Button>
      </div>
      <progress max={1} value={fraction} aria-label="Sync progress" />
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

/** Where the Stripe key is entered: the Settings section's address. */
export const STRIPE_SETTINGS_HREF = '#/settings/stripe';

/**
 * The screen's head: data age, sync / full sync buttons, and the last run's outcome when it was not clean.
 * Without a key the buttons are disabled and say why beside them, with the way to Settings → Stripe.
 */
export function SyncControls() {
  const { status, progress, sync } = useSubscribers();
  const running = progress?.running === true;
  const last = status?.lastSync;
  const noKey = status !== null && !status.key.present;
  return (
    <div className="sync-head">
      <div className="sync-controls">
        <span className="muted" data-testid="data-age" title={status?.lastGoodSyncAt ?? undefined}>
          {ageText(status?.lastGoodSyncAt ?? null)}
          {last && !last.ok ? ` · last attempt ${last.outcome}` : ''}
        </span>
        <Button onClick={() => void sync(false)} disabled={running || !status?.key.present} aria-describedby={noKey ? 'sync-no-key' : undefined} data-testid="sync-button" title={noKey ? undefined : 'Fetch what changed since the last sync'}>
          {running ? 'Syncing…' : 'Sync now'}
        </Button>
        <Button variant="secondary" onClick={() => void sync(true)} disabled={running || !status?.key.present} aria-describedby={noKey ? 'sync-no-key' : undefined} data-testid="full-sync-button" title={noKey ? undefined : 'Re-read everything from Stripe (the current data stays until it completes)'}>
          Full sync
        </Button>
      </div>
      {noKey && (
        <p className="sync-reason small" id="sync-no-key" data-testid="sync-disabled-reason">
          Syncing needs a Stripe key. <a href={STRIPE_SETTINGS_HREF} data-testid="sync-settings-link">Add it in Settings → Subscribers (Stripe)</a>
        </p>
      )}
    </div>
  );
}
