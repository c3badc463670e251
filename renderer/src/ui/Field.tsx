import type { ReactNode } from 'react';
import './field.css';
import './kit.css';
import { Toggle } from './Toggle';

export interface FieldProps {
  label: string;
  /** What the setting does, in a sentence. */
  help: string;
  /** What is wrong with the value entered, shown under the control (and the row marked invalid). */
  error?: string | null;
  children: ReactNode;
  testId?: string;
}

/** One row of a Settings section: the field's name and what it does on the left, its control (and error) on the right. */
export function Field({ label, help, error, children, testId }: FieldProps) {
  return (
    <div className="settings-field" data-invalid={error ? true : undefined} data-testid={testId}>
      <div>
        <div className="settings-label">{label}</div>
        <div className="muted small">{help}</div>
      </div>
      <div>
        {children}
        {error && (
          <div className="field-error" role="alert">
            {error}
          </div>
        )}
      </div>
    </div>
  );
}

/** The name the design system gives a Settings row (docs/ui.md); the same component as Field. */
export const SettingsRow = Field;

/** An on/off switch that says which it is (the design system's Toggle, under the name Settings rows use). */
export function OnOff({ checked, onChange, testId }: { checked: boolean; onChange(v: boolean): void; testId: string }) {
  return <Toggle checked={checked} onChange={onChange} testId={testId} />;
}
