import { useEffect, useRef } from 'react';
import { RecoveryScreen } from '../features/recovery/RecoveryScreen';
import { subscribeRecovery, useRecovery } from '../features/recovery/store';
import { App } from './App';
import { useToasts } from '../lib/stores/toasts';

/**
 * The studio, or the recovery screen when its database cannot be used (or a restore is under way). After a
 * restore from Settings → Backups the studio's screens hold the previous database's data, so the page
 * reloads once the restored studio runs; after a recovery the studio had not been shown yet.
 */
export function StudioGate() {
  const state = useRecovery((s) => s.state);
  const shownStudio = useRef(false);
  useEffect(() => {
    const off = subscribeRecovery();
    void useRecovery.getState().load();
    return off;
  }, []);
  useEffect(() => {
    if (state?.state !== 'ready') return;
    if (shownStudio.current && state.keptAside !== null) {
      location.reload();
      return;
    }
    // Said once per tab: the studio keeps telling where it went until it restarts.
    if (state.keptAside && sessionStorage.getItem('church-kept-aside') !== state.keptAside) {
      sessionStorage.setItem('church-kept-aside', state.keptAside);
      useToasts.getState().push({ level: 'info', message: `The previous database was kept in ${state.keptAside}` });
    }
    shownStudio.current = true;
  }, [state]);
  if (!state) {
    return (
      <main className="screen" aria-busy="true" data-testid="studio-starting">
        <p className="muted">Starting…</p>
      </main>
    );
  }
  return state.state === 'ready' ? <App /> : <RecoveryScreen state={state} />;
}
