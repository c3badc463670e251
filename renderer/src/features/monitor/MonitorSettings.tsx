import { useEffect, useRef, useState } from 'react';
import type { MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useToasts } from '../../lib/stores/toasts';
import { registerUnsaved } from '../../lib/stores/unsaved';
import type { SaveStatus } from '../../lib/useAutoSave';
import { SaveState } from '../../ui/SaveState';
import { AlertChannelSettings } from './AlertChannelSettings';
import { PrometheusSettings } from './PrometheusSettings';
import { RuleEditor } from './RuleEditor';
import { SmtpSettings } from './SmtpSettings';
import { useMonitor } from './store';
import './monitor.css';

function toData(v: MonitorSettingsView): MonitorSettingsData {
  return { intervalMs: v.intervalMs, desktopNotifications: v.desktopNotifications, rules: v.rules, smtp: v.smtp, prometheus: v.prometheus, channels: v.channels };
}

/** The monitor's section of Settings: sample interval, alert rules, e-mail (SMTP), webhook/ntfy/Gotify and the Prometheus endpoint. */
export function MonitorSettings() {
  const settings = useMonitor((s) => s.settings);
  const hosts = useMonitor((s) => s.hosts);
  const { loadHosts, loadSettings, saveSettings } = useMonitor.getState();
  const [draft, setDraft] = useState<MonitorSettingsData | null>(null);
  const [recipients, setRecipients] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<SaveStatus>('idle');

  useEffect(() => {
    void loadSettings();
    void loadHosts();
  }, [loadSettings, loadHosts]);
  // The form follows the saved settings only when they change (a save, another window), not when just the
  // password flag or the endpoint URL does, so storing the password keeps unsaved edits.
  const savedKey = settings ? JSON.stringify(toData(settings)) : '';
  const lastSaved = useRef('');
  useEffect(() => {
    if (!savedKey) return;
    const saved = JSON.parse(savedKey) as MonitorSettingsData;
    // The fields that save themselves follow at once; other edits in progress (rules, e-mail) stay.
    setDraft((d) => (d && lastSaved.current && JSON.stringify(d) !== lastSaved.current ? { ...d, intervalMs: saved.intervalMs, desktopNotifications: saved.desktopNotifications } : saved));
    if (!lastSaved.current || (JSON.parse(lastSaved.current) as MonitorSettingsData).smtp.to.join(', ') === recipients) setRecipients(saved.smtp.to.join(', '));
    lastSaved.current = savedKey;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new saved value moves the form
  }, [savedKey]);
  // Rules, e-mail and channels are saved together (a rule half-written is not a setting yet): leaving with
  // changes to them asks first.
  const dirtyRef = useRef(false);
  useEffect(() => {
    const discard = () => {
      if (!lastSaved.current) return;
      const saved = JSON.parse(lastSaved.current) as MonitorSettingsData;
      setDraft(saved);
      setRecipients(saved.smtp.to.join(', '));
    };
    return registerUnsaved('settings.monitor', { what: 'changes to the alert rules or channels', place: 'settings', isDirty: () => dirtyRef.current, discard });
  }, []);

  if (!settings || !draft) return <div className="card monitor-settings muted">Loading the monitor settings…</div>;
  const smtp = draft.smtp;
  const setSmtp = (patch: Partial<MonitorSettingsData['smtp']>) => setDraft({ ...draft, smtp: { ...smtp, ...patch } });
  const dirty = JSON.stringify(toData(settings)) !== JSON.stringify({ ...draft, smtp: { ...smtp, to: splitRecipients(recipients) } });
  dirtyRef.current = dirty;
  // The interval and the notifications switch save themselves.
  const saveField = async (patch: Pick<Partial<MonitorSettingsData>, 'intervalMs' | 'desktopNotifications'>) => {
    setDraft({ ...draft, ...patch });
    setStatus('saving');
    setStatus((await saveSettings({ ...toData(settings), ...patch })) ? 'saved' : 'failed');
  };

  const save = async () => {
    setBusy(true);
    const ok = await saveSettings({ ...draft, smtp: { ...smtp, to: splitRecipients(recipients) } });
    setBusy(false);
    if (ok) useToasts.getState().push({ level: 'success', message: 'Monitor settings saved.' });
  };

  return (
    <div className="card monitor-settings" data-testid="monitor-settings">
      <h2>Hardware monitor</h2>
      <div className="monitor-form">
        <label>
          Sample every
          <select value={draft.intervalMs} onChange={(e) => void saveField({ intervalMs: Number(e.target.value) })} aria-label="Sample interval" data-testid="monitor-interval">
            {[500, 1000, 2000, 5000, 10_000, 30_000].map((ms) => (
              <option key={ms} value={ms}>
                {ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}
              </option>
            ))}
          </select>
        </label>
        <label className="monitor-check">
          <input type="checkbox" checked={draft.desktopNotifications} onChange={(e) => void saveField({ desktopNotifications: e.target.checked })} />
          Desktop notifications for alerts
        </label>
        <SaveState status={status} testId="monitor-field-state" />
      </div>

      <h3>Alert rules</h3>
      <RuleEditor rules={draft.rules} labHosts={hosts.flatMap((h) => (h.host === null ? [] : [h.host]))} onChange={(rules) => setDraft({ ...draft, rules })} />
      <SmtpSettings settings={settings} smtp={smtp} setSmtp={setSmtp} recipients={recipients} setRecipients={setRecipients} dirty={dirty} busy={busy} setBusy={setBusy} />
      <AlertChannelSettings settings={settings} channels={draft.channels} setChannels={(channels) => setDraft({ ...draft, channels })} dirty={dirty} />
      <PrometheusSettings settings={settings} draft={draft} setDraft={setDraft} />

      <div className="row monitor-save">
        <button className="button" disabled={busy || !dirty} onClick={() => void save()} data-testid="monitor-save">
          Save rules and alerts
        </button>
        {dirty && <span className="muted">Unsaved changes</span>}
      </div>
    </div>
  );
}

function splitRecipients(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
