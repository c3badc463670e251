import './kit.css';

/** A row of tabs (role tablist) in the segmented look; the panel below is the caller's. */
export function Tabs<T extends string>({ value, tabs, onChange, label, testIdPrefix = 'tab' }: { value: T; tabs: readonly { value: T; label: string }[]; onChange(v: T): void; label: string; testIdPrefix?: string }) {
  return (
    <div className="segmented tabs" role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button key={t.value} type="button" role="tab" aria-selected={value === t.value} className={value === t.value ? 'on' : ''} onClick={() => onChange(t.value)} data-ui="tab" data-testid={`${testIdPrefix}-${t.value}`}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
