import type { ReactNode } from 'react';
import { useSettings, type ThemeChoice } from '../../lib/stores/settings';
import { Field } from '../../ui/Field';
import { Segmented } from '../../ui/Segmented';
import { SecretStoreSettings } from './SecretStoreSettings';
import { SettingsNav, type SettingsSection } from './SettingsNav';
import './settings.css';

/**
 * The studio's settings: the UI's own preferences first, then each domain's section (owned by that domain and
 * handed in by the app, since a feature does not import another), the secret store, and the shortcut list.
 */
export function SettingsScreen({ domainSections, shortcuts }: { domainSections: SettingsSection[]; shortcuts: ReactNode }) {
  return (
    <section className="screen settings-screen">
      <header className="screen-head">
        <h1>Settings</h1>
      </header>
      <SettingsNav
        sections={[
          { id: 'appearance', label: 'Appearance', node: <Appearance /> },
          ...domainSections,
          { id: 'secrets', label: 'Secrets', node: <SecretStoreSettings /> },
          {
            id: 'shortcuts',
            label: 'Keyboard shortcuts',
            node: (
              <div className="card">
                <h2>Keyboard shortcuts</h2>
                {shortcuts}
              </div>
            ),
          },
        ]}
      />
    </section>
  );
}

/** The UI's own preferences. */
function Appearance() {
  const prefs = useSettings((s) => s.prefs);
  const setTheme = useSettings((s) => s.setTheme);
  const update = useSettings((s) => s.update);
  return (
    <div className="card" data-testid="settings-appearance">
      <h2>Appearance</h2>
      <Field label="Theme" help="System follows your operating system's light or dark setting.">
        <Segmented<ThemeChoice>
          label="Theme"
          value={prefs?.theme}
          onChange={(t) => void setTheme(t)}
          options={[
            { value: 'light', label: '☀ Light' },
            { value: 'dark', label: '☾ Dark' },
            { value: 'system', label: '◐ System' },
          ]}
        />
      </Field>
      <Field label="Library density" help="Compact fits more thumbnails on screen.">
        <Segmented
          label="Density"
          value={prefs?.density}
          onChange={(density) => void update({ density })}
          options={[
            { value: 'comfortable', label: 'Comfortable' },
            { value: 'compact', label: 'Compact' },
          ]}
        />
      </Field>
      <Field label="Reduce motion" help="Turns off hover scrubbing animation and transitions.">
        <label className="switch">
          <input type="checkbox" checked={prefs?.reduceMotion ?? false} onChange={(e) => void update({ reduceMotion: e.target.checked })} data-testid="reduce-motion" />
          <span>{prefs?.reduceMotion ? 'On' : 'Off'}</span>
        </label>
      </Field>
    </div>
  );
}
