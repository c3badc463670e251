import { useEffect, useState } from 'react';
import type { MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useToasts } from '../../lib/stores/toasts';
import { RuleEditor } from './RuleEditor';
import { useMonitor } from './store';
import './monitor.css';

function toData(v: MonitorSettingsView): MonitorSettingsData {
  return { intervalMs: v.intervalMs, desktopNotifications: v.desktopNotifications, rules: v.rules, smtp: v.smtp, prometheus: v.prometheus };
}

/** The monitor's section of Settings: sample interval, alert rules, e-mail (SMTP) and the Prometheus endpoint. */
export function MonitorSettings() {
  const settings = useMonitor((s) => s.settings);
  const hosts = useMonitor((s) => s.hosts);
  const { loadHosts, loadSettings, saveSettings, setPassword, setPrometheusToken, testEmail } = useMonitor.getState();
  const [promToken, setPromToken] = useState('');
  const [draft, setDraft] = useState<MonitorSettingsData | null>(null);
  const [password, setPasswordText] = useState('');
  const [recipients, setRecipients] = useState('');
  const [testResult, setTestResult] = useState<{ sent: boolean; message: string } | null>(null);
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
      <h3>E-mail alerts (SMTP)</h3>
      <div className="monitor-form">
        <label className="monitor-check">
          <input type="checkbox" checked={smtp.enabled} onChange={(e) => setSmtp({ enabled: e.target.checked })} data-testid="smtp-enabled" />
          Send alerts by e-mail
        </label>
        <label>
          Server
          <input value={smtp.host} placeholder="smtp.example.com" onChange={(e) => setSmtp({ host: e.target.value.trim() })} aria-label="SMTP host" />
        </label>
        <label>
          Port
          <input className="monitor-num" value={smtp.port} inputMode="numeric" onChange={(e) => setSmtp({ port: Number(e.target.value) || 0 })} aria-label="SMTP port" />
        </label>
        <label className="monitor-check">
          <input type="checkbox" checked={smtp.secure} onChange={(e) => setSmtp({ secure: e.target.checked })} />
          TLS from the start (port 465)
        </label>
        <label className="monitor-check" title="Without this, a login is only sent over TLS (from the start or STARTTLS): a server that offers neither gets no password. Tick it only for a relay on a network you trust.">
          <input type="checkbox" checked={smtp.allowPlainAuth === true} disabled={smtp.secure} onChange={(e) => setSmtp({ allowPlainAuth: e.target.checked })} data-testid="smtp-plain-auth" />
          Allow an unencrypted login (trusted LAN relay only)
        </label>
        <label>
          User
          <input value={smtp.user} onChange={(e) => setSmtp({ user: e.target.value.trim() })} aria-label="SMTP user" autoComplete="off" />
        </label>
        <label>
          From
          <input value={smtp.from} placeholder="studio@example.com" onChange={(e) => setSmtp({ from: e.target.value.trim() })} aria-label="Sender address" />
        </label>
        <label className="monitor-wide">
          To (comma-separated)
          <input value={recipients} placeholder="you@example.com" onChange={(e) => setRecipients(e.target.value)} aria-label="Recipients" />
        </label>
        <label>
          <span>
            Password {settings.smtpPasswordSet ? <span className="badge badge-ok">stored</span> : <span className="muted">(not set)</span>}
          </span>
          <span className="row">
            <input type="password" value={password} onChange={(e) => setPasswordText(e.target.value)} aria-label="SMTP password" autoComplete="new-password" />
            <button
              className="button secondary"
              disabled={!password}
              onClick={() => {
                void setPassword(password).then(() => setPasswordText(''));
              }}
            >
              Store
            </button>
            {settings.smtpPasswordSet && (
              <button className="button secondary" onClick={() => void setPassword(null)}>
                Forget
              </button>
            )}
          </span>
        </label>
      </div>
      <div className="row">
        <button
          className="button secondary"
          disabled={busy || dirty || !settings.smtp.enabled}
          title={dirty ? 'Save the settings first' : undefined}
          onClick={() => {
            setBusy(true);
            setTestResult(null);
            void testEmail().then((r) => {
              setBusy(false);
              setTestResult(r);
            });
          }}
          data-testid="smtp-test"
        >
          Send test e-mail
        </button>
        {testResult && (
          <span className={testResult.sent ? 'monitor-ok' : 'form-error'} data-testid="smtp-test-result">
            {testResult.message}
          </span>
        )}
      </div>

      <h3>Prometheus</h3>
      <div className="monitor-form">
        <label className="monitor-check">
          <input type="checkbox" checked={draft.prometheus.enabled} onChange={(e) => setDraft({ ...draft, prometheus: { ...draft.prometheus, enabled: e.target.checked } })} data-testid="prom-enabled" />
          Serve /metrics (node_exporter names)
        </label>
        <label title="127.0.0.1: this machine only. An address of this machine on the LAN (or 0.0.0.0 for every interface) lets the lab's Prometheus scrape it; that needs the bearer token below.">
          Bind address
          <input
            value={draft.prometheus.bindAddress ?? '127.0.0.1'}
            onChange={(e) => setDraft({ ...draft, prometheus: { ...draft.prometheus, bindAddress: e.target.value.trim() } })}
            aria-label="Prometheus bind address"
            data-testid="prom-bind"
          />
        </label>
        <label title="Names your Prometheus uses as the target (its Host header), besides this machine's addresses and name. Other names are refused (DNS rebinding).">
          Host names (comma-separated)
          <input
            value={(draft.prometheus.hostNames ?? []).join(', ')}
            placeholder="studio.lan"
            onChange={(e) =>
              setDraft({
                ...draft,
                prometheus: {
                  ...draft.prometheus,
                  hostNames: e.target.value
                    .split(',')
                    .map((h) => h.trim())
                    .filter(Boolean),
                },
              })
            }
            aria-label="Prometheus host names"
          />
        </label>
        <label>
          <span>
            Bearer token {settings.prometheusTokenSet ? <span className="badge badge-ok">stored</span> : <span className="muted">(not set: scrapes from this machine only)</span>}
          </span>
          <span className="row">
            <input
              type="password"
              value={promToken}
              placeholder="e.g. the output of openssl rand -hex 32"
              onChange={(e) => setPromToken(e.target.value)}
              aria-label="Prometheus bearer token"
              autoComplete="new-password"
            />
            <button className="button secondary" disabled={promToken.length < 16} title="At least 16 characters" onClick={() => void setPrometheusToken(promToken).then(() => setPromToken(''))}>
              Save token
            </button>
            {settings.prometheusTokenSet && (
              <button className="button secondary" onClick={() => void setPrometheusToken(null)}>
                Remove token
              </button>
            )}
          </span>
        </label>
        <label>
          Port
          <input
            className="monitor-num"
            value={draft.prometheus.port}
            inputMode="numeric"
            onChange={(e) => setDraft({ ...draft, prometheus: { ...draft.prometheus, port: Number(e.target.value) || 0 } })}
            aria-label="Prometheus port"
          />
        </label>
        <span className="muted" data-testid="prom-url">
          {settings.prometheusUrl ? `Listening: ${settings.prometheusUrl}` : settings.sampling ? 'Off' : 'Runs in the studio process that samples'}
        </span>
      </div>

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
