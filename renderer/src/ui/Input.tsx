import { forwardRef, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import './kit.css';

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  /** A short number field (a count, a port). */
  narrow?: boolean;
  /** Marks the field invalid (red edge, aria-invalid); the words go in the Field around it. */
  invalid?: boolean;
}

/** A text, number, password or search field. */
export const Input = forwardRef<HTMLInputElement, InputProps>(function Input({ narrow, invalid, className, ...rest }, ref) {
  const classes = ['input', narrow ? 'narrow' : '', className ?? ''].filter(Boolean).join(' ');
  return <input ref={ref} className={classes} aria-invalid={invalid || undefined} data-ui="input" {...rest} />;
});

/** Several lines of text (a list of addresses, a note). */
export function TextArea({ className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={['input', className ?? ''].filter(Boolean).join(' ')} data-ui="input" {...rest} />;
}
