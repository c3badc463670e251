import type { KillPlanInfo } from '../../../../shared/dto/killswitch';
import { HoldToConfirm } from './HoldToConfirm';
import { argvText } from './RunReport';

/** Accepting commands that will run as you is held longer than the stop itself: it is not an emergency. */
const ACCEPT_HOLD_MS = 3000;

/**
 * Command steps of the saved plan that the owner has not accepted (they arrived with a restore, an import, a
 * settings change or an edit of the plan file): listed exactly, never run, until accepted here by holding the
 * button. The desktop window only: the browser page's token travels in a URL, so it may not accept (the CLI can).
 */
export function PendingCommands({ info, inWindow, onAccept }: { info: KillPlanInfo; inWindow: boolean; onAccept(): void }) {
  if (info.pendingCommands === 0) return null;
  const pending = info.steps.filter((s) => s.pendingAcceptance);
  return (
    <div className="card card-wide kill-pending" data-testid="kill-pending">
      <h2>{pending.length} command step(s) wait for your acceptance</h2>
      <p>
        These commands are in the saved plan, but you have not accepted them: they arrived with a restore, an import, a settings change or an edit of
        the plan file. They are shown and kept, and <strong>they do not run</strong> when the kill switch is triggered, until you accept them. Accept
        only what you wrote yourself: once accepted, they run as you.
      </p>
      <ol className="kill-steps">
        {pending.map((s) => (
          <li key={s.index}>
            <div className="kill-step-head">
              <span>
                {s.index + 1}. {s.label}
              </span>
            </div>
            {s.commands.map((c, i) => (
              <div key={i} className="kill-command mono">
                $ {argvText(c.argv)}
              </div>
            ))}
          </li>
        ))}
      </ol>
      {inWindow ? (
        <HoldToConfirm holdMs={ACCEPT_HOLD_MS} onConfirm={onAccept} label="ACCEPT" sublabel="hold 3 s to let these commands run when the kill switch is triggered" />
      ) : (
        <p className="muted">
          Accept them in the desktop app’s window, or in a terminal on this machine with <code>church kill --accept-plan</code>. A browser page cannot
          accept commands.
        </p>
      )}
    </div>
  );
}
