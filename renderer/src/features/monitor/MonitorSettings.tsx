import { useEffect, useState } from 'react';
import type { MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useToasts } from '../../lib/stores/toasts';
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

  useEffect(() => {
    void loadSettings();
    void loadHosts();
  }, [loadSettings, loadHosts]);
  // The form follows the saved settings only when they change (a save, another window), not when just the
  // password flag or the endpoint URL does, so storing the password keeps unsaved edits.
  const savedKey = settings ? JSON.stringify(toData(settings)) : '';
  useEffect(() => {
    if (!savedKey) return;
    const saved = JSON.parse(savedKey) as MonitorSettingsData;
    setDraft(saved);
    setRecipients(saved.smtp.to.join(', '));
  }, [savedKey]);

  if (!settings || !draft) return <div className="card monitor-settings muted">Loading the monitor settings…</div>;
  const smtp = draft.smtp;
  const setSmtp = (patch: Partial<MonitorSettingsData['smtp']>) => setDraft({ ...draft, smtp: { ...smtp, ...patch } });
  const dirty = JSON.stringify(toData(settings)) !== JSON.stringify({ ...draft, smtp: { ...smtp, to: splitRecipients(recipients) } });

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
          <select value={draft.intervalMs} onChange={(e) => setDraft({ ...draft, intervalMs: Number(e.target.value) })} aria-label="Sample interval">
            {[500, 1000, 2000, 5000, 10_000, 30_000].map((ms) => (
              <option key={ms} value={ms}>
                {ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}
              </option>
            ))}
          </select>
        </label>
        <label className="monitor-check">
          <input type="checkbox" checked={draft.desktopNotifications} onChange={(e) => setDraft({ ...draft, desktopNotifications: e.target.checked })} />
          Desktop notifications for alerts
        </label>
      </div>

      <h3>Alert rules</h3>
      <RuleEditor rules={draft.rules} labHosts={hosts.flatMap((h) => (h.host === null ? [] : [h.host]))} onChange={(rules) => setDraft({ ...draft, rules })} />
      <SmtpSettings settings={settings} smtp={smtp} setSmtp={setSmtp} recipients={recipients} setRecipients={setRecipients} dirty={dirty} busy={busy} setBusy={setBusy} />
      <AlertChannelSettings settings={settings} channels={draft.channels} setChannels={(channels) => setDraft({ ...draft, channels })} dirty={dirty} />
      <PrometheusSettings settings={settings} draft={draft} setDraft={setDraft} />

      <div className="row monitor-save">
        <button className="button" disabled={busy || !dirty} onClick={() => void save()} data-testid="monitor-save">
          Save monitor settings
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
