import { useState } from 'react';
import type { MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useMonitor } from './store';

type Smtp = MonitorSettingsData['smtp'];

/**
 * The e-mail part of the monitor's settings: the server, sender and recipients (edited in the section's draft),
 * the stored password and a test e-mail (which needs the saved settings, so it waits for a save).
 */
export function SmtpSettings({ settings, smtp, setSmtp, recipients, setRecipients, dirty, busy, setBusy }: {
  settings: MonitorSettingsView;
  smtp: Smtp;
  setSmtp(patch: Partial<Smtp>): void;
  recipients: string;
  setRecipients(text: string): void;
  dirty: boolean;
  busy: boolean;
  setBusy(b: boolean): void;
}) {
  const { setPassword, testEmail } = useMonitor.getState();
  const [password, setPasswordText] = useState('');
  const [testResult, setTestResult] = useState<{ sent: boolean; message: string } | null>(null);
  // The password is kept for the saved server: one typed for a new server waits until that server is saved (a
  // first server is fine either way: a password stored before any server binds to the first one saved).
  const saved = settings.smtp;
  const serverUnsaved = saved.host !== '' && (smtp.host !== saved.host || smtp.port !== saved.port || (smtp.allowPlainAuth === true) !== (saved.allowPlainAuth === true) || smtp.secure !== saved.secure);
  return (
    <>
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
          {settings.smtpPasswordNote && (
            <span className="badge badge-warn" data-testid="smtp-password-note">
              Enter the password for the new server: {settings.smtpPasswordNote}
            </span>
          )}
          <span className="row">
            <input type="password" value={password} onChange={(e) => setPasswordText(e.target.value)} aria-label="SMTP password" autoComplete="new-password" />
            <button
              className="button secondary"
              disabled={!password || serverUnsaved}
              title={serverUnsaved ? 'Save the new server first: the password is kept for the saved server only' : undefined}
              onClick={() => {
                void setPassword(password).then(() => setPasswordText(''));
              }}
              data-testid="smtp-password-store"
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
    </>
  );
}
