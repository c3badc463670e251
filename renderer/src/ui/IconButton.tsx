import type { ButtonHTMLAttributes } from 'react';
import './kit.css';

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-label'> {
  /** What the button does, for screen readers and as its tooltip: an icon alone says nothing to them. */
  'aria-label': string;
  size?: 'small' | 'medium';
}

/** A button that shows only a glyph (×, ⋯, ▶); the required label is also its tooltip. */
export function IconButton({ size = 'medium', className, type = 'button', title, ...rest }: IconButtonProps) {
  const classes = ['icon-button', size === 'small' ? 'small' : '', className ?? ''].filter(Boolean).join(' ');
  return <button type={type} className={classes} title={title ?? rest['aria-label']} data-ui="icon-button" {...rest} />;
}
