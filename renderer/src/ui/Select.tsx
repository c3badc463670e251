import type { SelectHTMLAttributes } from 'react';
import './kit.css';

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

export interface SelectProps<T extends string> extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value: T;
  options: readonly SelectOption<T>[];
  onChange(value: T): void;
}

/** A dropdown of named choices; it is as wide as its longest option, so no choice is cut. */
export function Select<T extends string>({ value, options, onChange, className, ...rest }: SelectProps<T>) {
  return (
    <select className={['input', className ?? ''].filter(Boolean).join(' ')} value={value} onChange={(e) => onChange(e.target.value as T)} data-ui="select" {...rest}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
