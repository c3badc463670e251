import { useEffect, useRef } from 'react';
import { shortcutList } from './shortcuts';

export function ShortcutsOverlay({ onClose }: { onClose(): void }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), []);
  const list = shortcutList();
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()} data-testid="shortcuts-overlay">
      <div className="overlay-panel" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" tabIndex={-1} ref={panel}>
        <header className="row spread">
          <h2>Keyboard shortcuts</h2>
          <button className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <ShortcutTable list={list} />
        <p className="muted small">
          Letter shortcuts are ignored while you type in a field. Press <kbd>Esc</kbd> to close.
        </p>
      </div>
    </div>
  );
}

export function ShortcutTable({ list = shortcutList() }: { list?: ReturnType<typeof shortcutList> }) {
  return (
    <table className="table shortcut-table">
      <tbody>
        {list.map((s) => (
          <tr key={s.does}>
            <td className="shortcut-keys">
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && <span className="muted"> or </span>}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </td>
            <td>{s.does}</td>
            <td className="muted">{s.where}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
