import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import './contextMenu.css';

export interface MenuItem {
  label: string;
  onSelect(): void;
  disabled?: boolean;
  danger?: boolean;
  testId?: string;
}

/** A menu's entries: items, and null for a separator between groups. */
export type MenuEntry = MenuItem | null;

/**
 * A context menu at a point (the pointer, or the element it is for when opened from the keyboard): focus moves to
 * its first item; ↑/↓, Home/End move; Enter or a click chooses; Esc, Tab or a click outside closes it and focus goes
 * back where it was. It stays inside the window.
 */
export function ContextMenu({ x, y, label, entries, onClose }: { x: number; y: number; label: string; entries: MenuEntry[]; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  const items = () => Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({ left: Math.max(4, Math.min(x, innerWidth - r.width - 4)), top: Math.max(4, Math.min(y, innerHeight - r.height - 4)) });
    items()[0]?.focus();
  }, [x, y]);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const outside = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('blur', onClose);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('blur', onClose);
      if (before?.isConnected) before.focus();
    };
  }, [onClose]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: list.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onClose();
    }
    // The screen's own keys (J/K, Enter, Esc) must not act on what lies under the menu.
    e.stopPropagation();
  };

  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={label} style={pos} onKeyDown={onKeyDown} onContextMenu={(e) => e.preventDefault()} data-testid="context-menu">
      {entries.map((m, i) =>
        m === null ? (
          <div key={i} role="separator" className="context-menu-sep" />
        ) : (
          <button
            key={i}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={`context-menu-item${m.danger ? ' danger' : ''}`}
            disabled={m.disabled}
            data-testid={m.testId}
            onClick={() => {
              onClose();
              m.onSelect();
            }}
          >
            {m.label}
          </button>
        ),
      )}
    </div>
  );
}
