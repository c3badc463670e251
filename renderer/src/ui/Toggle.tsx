import './kit.css';

export interface ToggleProps {
  checked: boolean;
  onChange(checked: boolean): void;
  /** What it switches, when no Field names it (also its accessible name). */
  label?: string;
  /** The words shown beside the switch; "On"/"Off" by default. */
  onText?: string;
  offText?: string;
  disabled?: boolean;
  title?: string;
  testId?: string;
}

/** An on/off switch that says which it is. */
export function Toggle({ checked, onChange, label, onText = 'On', offText = 'Off', disabled, title, testId }: ToggleProps) {
  return (
    <label className="toggle" title={title}>
      <input type="checkbox" role="switch" className="toggle-input" checked={checked} disabled={disabled} aria-label={label} onChange={(e) => onChange(e.target.checked)} data-ui="toggle" data-testid={testId} />
      <span>{checked ? onText : offText}</span>
    </label>
  );
}
