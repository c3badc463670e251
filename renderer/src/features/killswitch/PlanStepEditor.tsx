import { useEffect, useState } from 'react';
import type { KillPlan, KillStep } from '../../../../shared/dto/killswitch';
import { ADDABLE_KINDS, KIND_NAMES, moveStep, newStep, planErrors, updateStep } from './planDraft';
import { PlanJsonEditor } from './PlanJsonEditor';

type Save = (plan: KillPlan | null) => Promise<string | null>;

function FieldError({ text }: { text: string | undefined }) {
  return text ? (
    <span className="step-field-error" role="alert" data-testid="step-error">
      {text}
    </span>
  ) : null;
}

function KindFields({ step, index, errors, change }: { step: KillStep; index: number; errors: Record<string, string>; change(p: Partial<KillStep>): void }) {
  switch (step.kind) {
    case 'network-down':
      return (
        <>
          <label>
            Interfaces (separated by spaces)
            <input
              className="wide"
              value={step.interfaces.join(' ')}
              onChange={(e) => change({ interfaces: e.target.value.split(/[\s,]+/).filter(Boolean) } as Partial<KillStep>)}
              data-testid="step-interfaces"
            />
            <FieldError text={errors[`${index}.interfaces`]} />
          </label>
          <label>
            Method
            <select value={step.method} onChange={(e) => change({ method: e.target.value } as Partial<KillStep>)}>
              <option value="auto">auto</option>
              <option value="ip">ip</option>
              <option value="nmcli">nmcli</option>
            </select>
          </label>
        </>
      );
    case 'alert':
      return (
        <label>
          Message
          <input className="wide" value={step.message} onChange={(e) => change({ message: e.target.value } as Partial<KillStep>)} />
          <FieldError text={errors[`${index}.message`]} />
        </label>
      );
    case 'lock-volumes':
      return <span className="muted small">{step.volumes.length} volume{step.volumes.length === 1 ? '' : 's'} — name them in the JSON view below.</span>;
    case 'command':
      return <span className="mono small">$ {step.argv.join(' ')}</span>;
    default:
      return null;
  }
}

function StepRow({ step, index, count, errors, change, move, remove }: { step: KillStep; index: number; count: number; errors: Record<string, string>; change(p: Partial<KillStep>): void; move(to: number): void; remove(): void }) {
  const n = index + 1;
  return (
    <li className={`step-editor-row${step.enabled ? '' : ' disabled'}`} data-testid="step-editor-row" data-kind={step.kind}>
      <div className="step-editor-head">
        <span className="step-kind">
          {n}. {KIND_NAMES[step.kind]}
        </span>
        <button className="button secondary small" onClick={() => move(index - 1)} disabled={index === 0} aria-label={`Move step ${n} up`}>
          ↑
        </button>
        <button className="button secondary small" onClick={() => move(index + 1)} disabled={index === count - 1} aria-label={`Move step ${n} down`}>
          ↓
        </button>
        <button className="button secondary small" onClick={remove} aria-label={`Remove step ${n}`}>
          Remove
        </button>
      </div>
      <div className="step-editor-fields">
        <label className="row">
          <input type="checkbox" checked={step.enabled} onChange={(e) => change({ enabled: e.target.checked })} aria-label={`Step ${n} enabled`} data-testid="step-enabled" />
          Enabled
        </label>
        <label>
          Label
          <input value={step.label ?? ''} placeholder={KIND_NAMES[step.kind]} onChange={(e) => change({ label: e.target.value || undefined })} />
          <FieldError text={errors[`${index}.label`]} />
        </label>
        <label>
          Timeout (seconds)
          <input
            type="number"
            min={0.1}
            max={600}
            step={0.1}
            value={Number.isFinite(step.timeoutMs) ? step.timeoutMs / 1000 : ''}
            onChange={(e) => change({ timeoutMs: e.target.value === '' ? Number.NaN : Math.round(Number(e.target.value) * 1000) })}
            aria-label={`Step ${n} timeout in seconds`}
            data-testid="step-timeout"
          />
          <FieldError text={errors[`${index}.timeoutMs`]} />
        </label>
        <label className="row">
          <input type="checkbox" checked={!step.continueOnFailure} onChange={(e) => change({ continueOnFailure: !e.target.checked })} />
          Stop the plan if this step fails
        </label>
        <KindFields step={step} index={index} errors={errors} change={change} />
      </div>
    </li>
  );
}

/** The plan as steps to add, reorder, disable and time out, checked as you type; the raw JSON stays as an advanced view. */
export function PlanStepEditor({ plan, onSave }: { plan: KillPlan; onSave: Save }) {
  const [draft, setDraft] = useState(plan);
  const [adding, setAdding] = useState<(typeof ADDABLE_KINDS)[number]>('alert');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(plan), [plan]);
  const errors = planErrors(draft);
  const dirty = JSON.stringify(draft) !== JSON.stringify(plan);
  const edit = (next: KillPlan) => {
    setDraft(next);
    setSaved(false);
  };
  const save = async (p: KillPlan | null) => {
    const error = await onSave(p);
    setSaveError(error);
    setSaved(error === null);
  };
  return (
    <section className="card plan-step-editor" aria-labelledby="plan-editor-head" data-testid="plan-step-editor">
      <h2 id="plan-editor-head">Edit the plan</h2>
      <ol className="step-editor-list">
        {draft.steps.map((s, i) => (
          <StepRow
            key={i}
            step={s}
            index={i}
            count={draft.steps.length}
            errors={errors}
            change={(p) => edit(updateStep(draft, i, p))}
            move={(to) => edit(moveStep(draft, i, to))}
            remove={() => edit({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}
          />
        ))}
      </ol>
      <div className="step-editor-add">
        <label>
          New step
          <select value={adding} onChange={(e) => setAdding(e.target.value as (typeof ADDABLE_KINDS)[number])} data-testid="step-add-kind">
            {ADDABLE_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </label>
        <button className="button secondary" onClick={() => edit({ ...draft, steps: [...draft.steps, newStep(adding)] })} data-testid="step-add">
          Add step
        </button>
        <span className="muted small">A custom command step can only be added in killswitch-plan.json in the studio’s data folder; it runs once you accept it.</span>
      </div>
      <FieldError text={errors.plan} />
      <div className="row">
        <button className="button" disabled={!dirty || Object.keys(errors).length > 0} onClick={() => void save(draft)} data-testid="plan-save">
          Save plan
        </button>
        <button className="button secondary" disabled={!dirty} onClick={() => edit(plan)}>
          Discard changes
        </button>
        <button className="button secondary" onClick={() => void save(null)}>
          Reset to the platform default
        </button>
        {saved && !dirty && (
          <span className="muted" role="status" data-testid="plan-saved">
            Saved.
          </span>
        )}
      </div>
      {saveError && (
        <div className="form-error" role="alert" data-testid="plan-save-error">
          {saveError}
        </div>
      )}
      <PlanJsonEditor plan={plan} onSave={save} />
    </section>
  );
}
