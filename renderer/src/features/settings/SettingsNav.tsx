import { useEffect, useState, type ReactNode } from 'react';
import { useNav } from '../../lib/stores/nav';

export interface SettingsSection {
  /** Its address: `#/settings/<id>`. */
  id: string;
  label: string;
  node: ReactNode;
}

/**
 * Settings as a list of sections beside one scrolling page, as VS Code's: each section has an address (a link to
 * it, Back and reload keep it), and the search box keeps only the sections whose words match.
 */
export function SettingsNav({ sections }: { sections: SettingsSection[] }) {
  const sub = useNav((s) => s.sub);
  const route = useNav((s) => s.route);
  const [filter, setFilter] = useState('');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());

  // The address leads: opening `#/settings/backups` (a link, Back, a reload) brings that section into view.
  useEffect(() => {
    if (route !== 'settings' || !sub) return;
    // Sections load their values after mounting; wait a frame so the page has its height.
    const frame = requestAnimationFrame(() => document.getElementById(`settings-${sub}`)?.scrollIntoView({ block: 'start' }));
    return () => cancelAnimationFrame(frame);
  }, [route, sub]);

  const ids = sections.map((s) => s.id).join(' ');
  const labels = sections.map((s) => s.label).join('\u0000');
  useEffect(() => {
    const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const out = new Set<string>();
    const labelOf = labels.split('\u0000');
    ids.split(' ').forEach((id, i) => {
      const text = `${labelOf[i] ?? ''} ${document.getElementById(`settings-${id}`)?.textContent ?? ''}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) out.add(id);
    });
    setHidden((was) => (was.size === out.size && [...out].every((id) => was.has(id)) ? was : out));
  }, [filter, ids, labels]);

  const shown = sections.filter((s) => !hidden.has(s.id));
  return (
    <div className="settings-layout">
      <nav className="settings-nav" aria-label="Settings sections">
        <input
          type="search"
          className="input"
          placeholder="Search settings"
          aria-label="Search settings"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="settings-search"
        />
        {sections.map((s) => (
          <a
            key={s.id}
            href={`#/settings/${s.id}`}
            className={`settings-nav-item${sub === s.id ? ' active' : ''}`}
            aria-current={sub === s.id ? 'location' : undefined}
            hidden={hidden.has(s.id)}
            data-testid={`settings-nav-${s.id}`}
            onClick={(e) => {
              e.preventDefault();
              useNav.getState().go(`settings/${s.id}`);
              // The same section again still scrolls back to it.
              document.getElementById(`settings-${s.id}`)?.scrollIntoView({ block: 'start' });
            }}
          >
            {s.label}
          </a>
        ))}
        {shown.length === 0 && <p className="muted small">No setting matches “{filter}”.</p>}
      </nav>
      <div className="settings-sections">
        {sections.map((s) => (
          <div key={s.id} id={`settings-${s.id}`} className="settings-section" hidden={hidden.has(s.id)} data-section={s.id}>
            {s.node}
          </div>
        ))}
      </div>
    </div>
  );
}
