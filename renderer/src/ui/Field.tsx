import type { ReactNode } from 'react';
import './field.css';

/** One row of a Settings section: the field's name and what it does on the left, its control on the right. */
export function Field({ label, help, children }: { label: string; help: string; children: ReactNode }) {
  return (
    <div className="settings-field">
      <div>
        <div className="settings-label">{label}</div>
        <div className="muted small">{help}</div>
      </div>
      <div>{children}</div>
    </div>
  );
}

/** An on/off switch that says which it is. */
export function OnOff({ checked, onChange, testId }: { checked: boolean; onChange(v: boolean): void; testId: string }) {
  return (
    <label className="switch">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span>{checked ? 'On' : 'Off'}</span>
    </label>
  );
}
