import { ShortcutTable } from '../../app/ShortcutsOverlay';
import { useSettings, type ThemeChoice } from '../../app/stores/settings';
import { JobSettings } from '../jobs/JobSettings';
import { MonitorSettings } from '../monitor/MonitorSettings';
import { StripeSettings } from '../subscribers/StripeSettings';
import { BackupSettings } from '../backup/BackupSettings';
import { LabSettings } from '../lab/LabSettings';
import { Field } from './Field';
import { SecretStoreSettings } from './SecretStoreSettings';
import './settings.css';

function Segmented<T extends string>({ value, options, onChange, label }: { value: T | undefined; options: { value: T; label: string }[]; onChange(v: T): void; label: string }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} role="radio" aria-checked={value === o.value} className={value === o.value ? 'on' : ''} onClick={() => onChange(o.value)} data-testid={`${label.toLowerCase()}-${o.value}`}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** The studio's settings: the UI's own preferences first, then each domain's section (owned by that domain). */
export function SettingsScreen() {
  const prefs = useSettings((s) => s.prefs);
  const setTheme = useSettings((s) => s.setTheme);
  const update = useSettings((s) => s.update);
  return (
    <section className="screen settings-screen">
      <header className="screen-head">
        <h1>Settings</h1>
      </header>
      <div className="settings-sections">
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
        <JobSettings />
        <MonitorSettings />
        <StripeSettings />
        <BackupSettings />
        <LabSettings />
        <SecretStoreSettings />
        <div className="card">
          <h2>Keyboard shortcuts</h2>
          <ShortcutTable />
        </div>
      </div>
    </section>
  );
}
