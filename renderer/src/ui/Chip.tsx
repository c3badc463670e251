import type { ReactNode } from 'react';
import './kit.css';

/** A pill that is on or off (a filter): pressed state for screen readers, accent fill when on. */
export function Chip({ pressed, onToggle, children, testId, title }: { pressed: boolean; onToggle(): void; children: ReactNode; testId?: string; title?: string }) {
  return (
    <button type="button" className="chip" aria-pressed={pressed} onClick={onToggle} title={title} data-ui="chip" data-testid={testId}>
      {children}
    </button>
  );
}
