import { useToasts } from '../lib/stores/toasts';
import { Button } from './Button';
import { IconButton } from './IconButton';

const ICON = { info: 'ℹ', success: '✓', warning: '!', error: '✕' } as const;

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} data-testid="toast">
          <span className={`toast-icon toast-icon-${t.level}`} aria-hidden>
            {ICON[t.level]}
          </span>
          <div className="toast-body">
            <div className="toast-message">{t.message}</div>
            {t.hint && <div className="toast-hint muted">{t.hint}</div>}
            {t.action && (
              <Button
                variant="secondary"
                size="small"
                onClick={() => {
                  t.action!.run();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </Button>
            )}
          </div>
          <IconButton size="small" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </IconButton>
        </div>
      ))}
    </div>
  );
}
