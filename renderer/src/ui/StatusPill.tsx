import type { ReactNode } from 'react';

export type StatusTone = 'neutral' | 'active' | 'ok' | 'warn' | 'bad';

const TONE_CLASS: Record<StatusTone, string> = {
  neutral: 'badge',
  active: 'badge badge-run',
  ok: 'badge badge-ok',
  warn: 'badge badge-warn',
  bad: 'badge badge-bad',
};

/** A state in one word with its colour (running, done, failed…): the one way a status is shown. */
export function StatusPill({ tone, children, testId }: { tone: StatusTone; children: ReactNode; testId?: string }) {
  return (
    <span className={TONE_CLASS[tone]} data-testid={testId}>
      {children}
    </span>
  );
}
