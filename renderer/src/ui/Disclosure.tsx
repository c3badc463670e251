import type { ReactNode } from 'react';
import './kit.css';

/** Details most people do not need, one click away (a native <details>, so it works with the keyboard as is). */
export function Disclosure({ summary, children, testId }: { summary: string; children: ReactNode; testId?: string }) {
  return (
    <details className="disclosure" data-testid={testId}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
