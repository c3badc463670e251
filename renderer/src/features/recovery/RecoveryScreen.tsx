import type { RecoveryChoice, RecoveryState, StartFailure } from '../../../../shared/dto/recovery';
import { useRecovery } from './store';
import './recovery.css';

const when = (iso: string) => new Date(iso).toLocaleString();
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function label(choice: RecoveryChoice, failure: StartFailure): string {
  switch (choice) {
    case 'restore-newest':
      return failure.newest ? `Restore the snapshot of ${when(failure.newest.createdAt)}` : 'Restore the newest snapshot';
    case 'start-empty':
      return 'Keep it aside and start empty';
    case 'quit':
      return 'Quit';
  }
}

/**
 * What the studio shows instead of itself when its database cannot be used (damaged, unreadable, from a newer
 * version) or when a restore is under way: what is wrong, the snapshot that would come back, and the choices.
 */
export function RecoveryScreen({ state }: { state: RecoveryState }) {
  const choose = useRecovery((s) => s.choose);
  const failure = state.failure;
  if (state.state === 'quit') {
    return (
      <main className="screen recovery" data-testid="recovery-quit">
        <h1>The studio has stopped</h1>
        <p>Nothing was changed. You can close this window; "church doctor" in a terminal says what is wrong.</p>
      </main>
    );
  }
  if (state.state === 'working') {
    return (
      <main className="screen recovery" data-testid="recovery-working" aria-busy="true">
        <h1>{failure ? 'Recovering the studio' : 'Restoring a snapshot'}</h1>
        <p role="status">{state.step ?? 'Working…'}</p>
        <progress />
        <p className="muted">The studio continues by itself when this is done; the previous database is kept aside, never deleted.</p>
      </main>
    );
  }
  if (!failure) return null;
  const newest = failure.newest;
  return (
    <main className="screen recovery" data-testid="recovery-screen">
      <h1 data-testid="recovery-title">{failure.title}</h1>
      <p data-testid="recovery-message">{failure.message.charAt(0).toUpperCase() + failure.message.slice(1)}</p>
      {state.error && (
        <div className="form-error" role="alert" data-testid="recovery-error">
          The recovery did not work: {state.error}
        </div>
      )}
      {failure.kind === 'database' && (
        <dl className="facts" data-testid="recovery-snapshot">
          <dt>Newest verified snapshot</dt>
          <dd>{newest ? `${when(newest.createdAt)} · ${mb(newest.sizeBytes)} · on this computer (backups/${newest.id})` : 'none: there is no verified snapshot to restore'}</dd>
        </dl>
      )}
      <div className="recovery-choices">
        {failure.choices.map((c, i) => (
          <button key={c} className={c === 'start-empty' ? 'button danger' : c === 'restore-newest' ? 'button' : 'button secondary'} autoFocus={i === 0} onClick={() => void choose(c)} data-testid={`recovery-choice-${c}`}>
            {label(c, failure)}
          </button>
        ))}
      </div>
    </main>
  );
}
