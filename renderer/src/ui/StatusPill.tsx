import type { ReactNode } from 'react';
import './kit.css';

export type StatusTone = 'ok' | 'warn' | 'bad' | 'busy' | 'neutral';

/** A state in words in a tinted pill with a dot of its colour; the words carry the meaning, never the colour alone. */
export function StatusPill({ tone, children, title, testId }: { tone: StatusTone; children: ReactNode; title?: string; testId?: string }) {
  return (
    <span className={`status-pill ${tone}`} title={title} data-testid={testId}>
      {children}
    </span>
  );
}
