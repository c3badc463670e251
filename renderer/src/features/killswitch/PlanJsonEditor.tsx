import { useEffect, useState } from 'react';
import type { KillPlan } from '../../../../shared/dto/killswitch';

/** The advanced view: the plan as JSON, for what the step editor does not show (volumes, a hand-made plan). */
export function PlanJsonEditor({ plan, onSave }: { plan: KillPlan; onSave(p: KillPlan): Promise<void> }) {
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
    <details className="plan-editor">
      <summary>Advanced: the plan as JSON</summary>
      <p className="muted">
        Step kinds: stop-jobs, stop-lab, docker-stop, network-down (interfaces, method ip|nmcli|auto), lock-volumes (volumes: cryptsetup name,
        udisksctl device, bitlocker mountPoint, diskutil volume), alert (message), power-off, command (argv array). Each takes enabled, timeoutMs
        and continueOnFailure.
      </p>
      <textarea className="mono plan-json" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={18} aria-label="The plan as JSON" />
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <button className="button" onClick={() => void save()}>
        Save JSON
      </button>
    </details>
  );
}
