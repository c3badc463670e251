import { useCallback, useEffect, useRef, useState } from 'react';

interface Props {
  holdMs: number;
  onConfirm(): void;
  disabled?: boolean;
  label: string;
  sublabel: string;
  /** 'rehearse': the dry run's calm colours; only the real trigger is danger-red. */
  tone?: 'danger' | 'rehearse';
}

/**
 * A press that must be held for `holdMs` to count: a visible ring and countdown fill while held, and letting go
 * (or leaving the button, or losing focus) cancels. Space and Enter work the same way, for keyboard use.
 */
export function HoldToConfirm({ holdMs, onConfirm, disabled, label, sublabel, tone = 'danger' }: Props) {
  const [progress, setProgress] = useState(0);
  const start = useRef<number | null>(null);
  const frame = useRef<number | null>(null);

  const cancel = useCallback(() => {
    start.current = null;
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    setProgress(0);
  }, []);

  const tick = useCallback(() => {
    if (start.current === null) return;
    const p = Math.min(1, (performance.now() - start.current) / holdMs);
    setProgress(p);
    if (p >= 1) {
      start.current = null;
      frame.current = null;
      onConfirm();
      setTimeout(() => setProgress(0), 400);
      return;
    }
    frame.current = requestAnimationFrame(tick);
  }, [holdMs, onConfirm]);

  const begin = useCallback(() => {
    if (disabled || start.current !== null) return;
    start.current = performance.now();
    frame.current = requestAnimationFrame(tick);
  }, [disabled, tick]);

  useEffect(() => cancel, [cancel]);

  const remaining = ((1 - progress) * holdMs) / 1000;
  const holding = progress > 0 && progress < 1;
  const r = 92;
  const circumference = 2 * Math.PI * r;
  return (
    <button
      type="button"
      className={`kill-button${tone === 'rehearse' ? ' rehearse' : ''}${holding ? ' holding' : ''}`}
      data-testid="kill-button"
      data-progress={progress.toFixed(2)}
      disabled={disabled}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        begin();
      }}
      onPointerUp={cancel}
      onPointerCancel={cancel}
      onLostPointerCapture={cancel}
      onBlur={cancel}
      onKeyDown={(e) => {
        if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
          e.preventDefault();
          begin();
        }
      }}
      onKeyUp={(e) => {
        if (e.key === ' ' || e.key === 'Enter') cancel();
      }}
    >
      <svg viewBox="0 0 200 200" className="kill-ring" aria-hidden>
        <circle cx="100" cy="100" r={r} className="kill-ring-track" />
        <circle cx="100" cy="100" r={r} className="kill-ring-fill" strokeDasharray={circumference} strokeDashoffset={circumference * (1 - progress)} />
      </svg>
      <span className="kill-label">{holding ? `${remaining.toFixed(1)} s` : label}</span>
      <span className="kill-sublabel" data-testid="kill-countdown">
        {holding ? 'keep holding — release to cancel' : sublabel}
      </span>
    </button>
  );
}
