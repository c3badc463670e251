import { useEffect, useRef } from 'react';
import { groupsForScreen, shortcutList } from './shortcuts';

/** The shortcut list over the screen: the current screen's keys first; the list scrolls inside a short window. */
export function ShortcutsOverlay({ screen, onClose }: { screen: string; onClose(): void }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), []);
  const list = shortcutList();
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()} data-testid="shortcuts-overlay">
      <div className="overlay-panel" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" tabIndex={-1} ref={panel}>
        <header className="row spread overlay-head">
          <h2>Keyboard shortcuts · {screen}</h2>
          <button className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="shortcut-groups overlay-body" data-testid="shortcut-groups" tabIndex={0} role="region" aria-label="Shortcuts">
          {groupsForScreen(list, screen).map((column, i) => (
            <div key={i} className="shortcut-column">
              {column.map((where) => (
                <section key={where}>
                  <h3>{where}</h3>
                  <ShortcutTable list={list.filter((s) => s.where === where)} compact />
                </section>
              ))}
            </div>
          ))}
        </div>
        <p className="muted small overlay-foot">
          Letter shortcuts are ignored while you type in a field. Press <kbd>Esc</kbd> to close.
        </p>
      </div>
    </div>
  );
}

export function ShortcutTable({ list = shortcutList(), compact = false }: { list?: ReturnType<typeof shortcutList>; compact?: boolean }) {
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
            {!compact && <td className="muted">{s.where}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
