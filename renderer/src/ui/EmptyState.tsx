import type { ReactNode } from 'react';

/** What a screen shows when it has nothing yet: a glyph, what is missing, why, and the action that fixes it. */
export function EmptyState({ icon, title, children, action, testId }: { icon?: string; title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon && (
        <div className="empty-icon" aria-hidden>
          {icon}
        </div>
      )}
      <h2>{title}</h2>
      {children && <div>{children}</div>}
      {action}
    </div>
  );
}
