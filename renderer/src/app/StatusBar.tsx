import { RunningJobs } from '../features/jobs/RunningJobs';
import { LabTemperature } from '../features/monitor/LabTemperature';
import { LastSync } from '../features/subscribers/LastSync';
import { getTransport } from '../lib/api';
import { useConnection } from '../lib/stores/connection';

/** The bottom strip: connection first, then each domain's own readout (they render nothing until they have data). */
export function StatusBar({ onShortcuts }: { onShortcuts(): void }) {
  const connected = useConnection((s) => s.connected);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="status-item" title={connected ? 'Calls reach the studio' : 'Waiting for the studio; calls wait and are sent on reconnect'}>
        <span className={`dot ${connected ? 'dot-ok' : 'dot-bad'}`} />
        <span data-testid="connection">{connected ? `connected (${getTransport().kind})` : 'connecting…'}</span>
      </span>
      <span className="status-item">
        <RunningJobs />
      </span>
      <span className="status-item">
        <LabTemperature />
      </span>
      <span className="status-item">
        <LastSync />
      </span>
      <button className="status-help" onClick={onShortcuts} title="Keyboard shortcuts (?)">
        <kbd>?</kbd> shortcuts
      </button>
    </footer>
  );
}
