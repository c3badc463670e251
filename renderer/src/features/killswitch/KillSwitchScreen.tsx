import { useEffect, useState } from 'react';
import type { KillPlan } from '../../../../shared/dto/killswitch';
import { HoldToConfirm } from './HoldToConfirm';
import { PendingCommands } from './PendingCommands';
import { argvText, RunReport } from './RunReport';
import { useKillSwitch } from './store';
import './killswitch.css';

export const HOLD_MS = 1500;

function PlanEditor({ plan, onSave, onReset }: { plan: KillPlan; onSave(p: KillPlan): Promise<boolean>; onReset(): void }) {
  const [text, setText] = useState(() => JSON.stringify(plan, null, 2));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(JSON.stringify(plan, null, 2)), [plan]);
  const save = async () => {
    let parsed: KillPlan;
    try {
      parsed = JSON.parse(text) as KillPlan;
    } catch (e) {
      setError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    setError(null);
    await onSave(parsed);
  };
  return (
    <details className="card plan-editor">
      <summary>Edit the plan as JSON</summary>
      <p className="muted">
        Step kinds: stop-jobs, docker-stop, network-down (interfaces, method ip|nmcli|auto), lock-volumes (volumes: cryptsetup name,
        udisksctl device, bitlocker mountPoint, diskutil volume), alert (message), power-off, command (argv array). Each takes enabled,
        timeoutMs and continueOnFailure. A new command step can be added only in killswitch-plan.json in the studio's data folder (and runs
        once you accept it); here you can keep, reorder, relabel or disable the ones it has.
      </p>
      <textarea className="mono plan-json" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={18} />
      {error && <div className="form-error">{error}</div>}
      <div className="row">
        <button className="button" onClick={() => void save()}>
          Save plan
        </button>
        <button className="button secondary" onClick={onReset}>
          Reset to the platform default
        </button>
      </div>
    </details>
  );
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
            sublabel={dryRun ? 'hold 1.5 s — shows what would run, runs nothing' : 'hold 1.5 s to run the plan below'}
          />
          <p className="muted kill-hint">
            Also from the tray menu, the global shortcut <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>K</kbd>, or <code>church kill</code>. It runs in
            the main process, so a frozen window cannot block it.
          </p>
        </div>
        <div className="card kill-plan">
          <h2>
            The plan ({info?.source === 'default' ? `${info.platform} default` : 'custom'}) — {enabledSteps.length} step(s)
          </h2>
          {info && (
            <ol className="kill-steps">
              {info.steps.map((s) => (
                <li key={s.index} className={s.enabled ? '' : 'disabled'}>
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
      {info && <PlanEditor plan={info.plan} onSave={savePlan} onReset={() => void savePlan(null)} />}
    </section>
  );
}
