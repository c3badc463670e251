import type { RecoveryChoice, RecoveryState } from '../../../../shared/dto/recovery';
import { formatBytes } from '../../lib/format';
import { localDateTime } from '../../lib/localTime';
import { Button, type ButtonVariant } from '../../ui/Button';
import { Disclosure } from '../../ui/Disclosure';
import { choiceLabel, recoveryWords } from './recoveryWords';
import { useRecovery } from './store';
import './recovery.css';

const VARIANT: Record<RecoveryChoice, ButtonVariant> = { 'restore-newest': 'primary', 'start-empty': 'danger', quit: 'secondary' };

/**
 * What the studio shows instead of itself when its database cannot be used (damaged, unreadable, from a newer
 * version) or when a restore is under way. Written for the owner: what happened, what is safe, what to do; the
 * technical cause sits behind a disclosure.
 */
export function RecoveryScreen({ state }: { state: RecoveryState }) {
  const choose = useRecovery((s) => s.choose);
  const failure = state.failure;
  if (state.state === 'quit') {
    return (
      <main className="screen recovery" data-testid="recovery-quit">
        <h1>The studio has stopped</h1>
        <p>Nothing was changed. You can close this window and start the studio again when you are ready.</p>
      </main>
    );
  }
  if (state.state === 'working') {
    return (
      <main className="screen recovery" data-testid="recovery-working" aria-busy="true">
        <h1>{failure ? 'Recovering the studio' : 'Restoring a snapshot'}</h1>
        <p role="status">{state.step ?? 'Working…'}</p>
        <progress aria-label="Progress" />
        <p className="muted">The studio continues by itself when this is done; the previous database is kept aside, never deleted.</p>
      </main>
    );
  }
  if (!failure) return null;
  const words = recoveryWords(failure);
  const newest = failure.newest;
  return (
    <main className="screen recovery" data-testid="recovery-screen">
      <h1 data-testid="recovery-title">{failure.title}</h1>
      <section className="recovery-parts" data-testid="recovery-message">
        <h2>What happened</h2>
        <p data-testid="recovery-happened">{words.happened}</p>
        <h2>What is safe</h2>
        <p data-testid="recovery-safe">{words.safe}</p>
        <h2>What to do</h2>
        <p data-testid="recovery-todo">{words.todo}</p>
      </section>
      {state.error && (
        <div className="form-error" role="alert" data-testid="recovery-error">
          The recovery did not work: {state.error}
        </div>
      )}
      <div className="recovery-choices">
        {failure.choices.map((c, i) => (
          <Button key={c} variant={VARIANT[c]} autoFocus={i === 0} onClick={() => void choose(c)} data-testid={`recovery-choice-${c}`}>
            {choiceLabel(c, failure)}
          </Button>
        ))}
      </div>
      <Disclosure summary="Details for whoever helps you" testId="recovery-details">
        {failure.kind === 'database' && (
          <dl className="facts" data-testid="recovery-snapshot">
            <dt>Newest verified snapshot</dt>
            <dd>{newest ? `${localDateTime(newest.createdAt)} · ${formatBytes(newest.sizeBytes)} · on this computer (backups/${newest.id})` : 'none: there is no verified snapshot to restore'}</dd>
          </dl>
        )}
        <pre className="mono recovery-detail" data-testid="recovery-detail">{failure.detail}</pre>
      </Disclosure>
    </main>
  );
}
