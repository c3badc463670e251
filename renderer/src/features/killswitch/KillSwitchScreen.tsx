import { useEffect } from 'react';
import { HoldToConfirm } from './HoldToConfirm';
import { PendingCommands } from './PendingCommands';
import { PlanStepEditor } from './PlanStepEditor';
import { argvText, RunReport } from './RunReport';
import { useKillSwitch } from './store';
import './killswitch.css';

export const HOLD_MS = 1500;

/** "1 step", "6 steps". */
export function stepCount(n: number): string {
  return `${n} step${n === 1 ? '' : 's'}`;
}

export function KillSwitchScreen() {
  const { info, planError, run, dryRun, busy, load, setDryRun, trigger, acknowledge, savePlan, acceptPlan } = useKillSwitch();
  useEffect(() => {
    void load();
  }, [load]);

  const enabledSteps = info?.steps.filter((s) => s.enabled) ?? [];
  return (
    <section className="screen">
      <header className="screen-head">
        <h1>Kill switch</h1>
        <div className="segmented" role="radiogroup" aria-label="Mode">
          <button role="radio" aria-checked={!dryRun} className={!dryRun ? 'on danger' : ''} onClick={() => setDryRun(false)} data-testid="mode-live">
            Live
          </button>
          <button role="radio" aria-checked={dryRun} className={dryRun ? 'on' : ''} onClick={() => setDryRun(true)} data-testid="mode-dry-run">
            Rehearse (dry run)
          </button>
        </div>
      </header>
      {planError && <div className="banner banner-bad">The plan cannot be used: {planError}</div>}
      {info && <PendingCommands info={info} inWindow={Boolean(window.church)} onAccept={() => void acceptPlan()} />}
      <div className="kill-layout">
        <div className="kill-panel">
          <HoldToConfirm
            holdMs={HOLD_MS}
            disabled={busy || !info}
            onConfirm={() => void trigger()}
            label={busy ? 'Running…' : dryRun ? 'REHEARSE' : 'STOP THE LAB'}
            tone={dryRun ? 'rehearse' : 'danger'}
            sublabel={dryRun ? 'hold 1.5 s — shows what would run, runs nothing' : 'hold 1.5 s to run the plan below'}
          />
          <p className="muted kill-hint">
            Also from the tray menu, the global shortcut <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>K</kbd>, or <code>church kill</code>. It runs in
            the main process, so a frozen window cannot block it.
          </p>
        </div>
        <div className="card kill-plan">
          <h2>
            The plan ({info?.source === 'default' ? `${info.platform} default` : 'custom'}) — <span data-testid="kill-step-count">{stepCount(enabledSteps.length)}</span>
          </h2>
          {info && (
            <ol className="kill-steps" data-testid="kill-plan-steps">
              {info.steps.map((s) => (
                <li key={s.index} className={s.enabled ? '' : 'disabled'} data-testid="kill-plan-step">
                  <div className="kill-step-head">
                    <span>{s.label}</span>
                    <span className="muted">
                      {s.pendingAcceptance && 'pending — not accepted, will not run · '}
                      {s.enabled ? `timeout ${s.timeoutMs / 1000} s` : 'disabled'}
                      {!s.continueOnFailure && ' · stops the plan if it fails'}
                    </span>
                  </div>
                  {s.action && <div className="muted">{s.action}</div>}
                  {s.commands.map((c, i) => (
                    <div key={i} className="kill-command mono" title={c.purpose}>
                      $ {argvText(c.argv)}
                    </div>
                  ))}
                  {!s.action && s.commands.length === 0 && <div className="muted">Nothing configured — name them in the plan.</div>}
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
      {run && (
        <div className="card card-wide">
          <div className="row spread">
            <h2>Last run</h2>
            {!run.acknowledged && (
              <button className="button secondary" onClick={() => void acknowledge()}>
                Mark as seen
              </button>
            )}
          </div>
          <RunReport run={run} />
        </div>
      )}
      {info && <PlanStepEditor plan={info.plan} onSave={savePlan} />}
    </section>
  );
}
