/** A row of buttons of which one is on (a radio group), e.g. light / dark / system. */
export function Segmented<T extends string>({ value, options, onChange, label }: { value: T | undefined; options: { value: T; label: string }[]; onChange(v: T): void; label: string }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" role="radio" data-ui="segmented" aria-checked={value === o.value} className={value === o.value ? 'on' : ''} onClick={() => onChange(o.value)} data-testid={`${label.toLowerCase()}-${o.value}`}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
