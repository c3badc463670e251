import type { ButtonHTMLAttributes } from 'react';
import './kit.css';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';
export type ButtonSize = 'small' | 'medium' | 'large';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
}

/**
 * The one button: primary for the screen's main action (one per view), secondary for the others, danger for what
 * deletes or stops, ghost for quiet actions in dense places. `type` defaults to "button" so a button inside a form
 * never submits it by accident; pass type="submit" for the one that should.
 */
export function Button({ variant = 'primary', size = 'medium', className, type = 'button', ...rest }: ButtonProps) {
  const classes = ['button', variant, size === 'medium' ? '' : size, className ?? ''].filter(Boolean).join(' ');
  return <button type={type} className={classes} data-ui="button" {...rest} />;
}
