import { useToasts } from '../lib/stores/toasts';

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
              <button
                className="button secondary small"
                onClick={() => {
                  t.action!.run();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
          </div>
          <button className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
