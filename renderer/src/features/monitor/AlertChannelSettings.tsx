import { useState, type ReactNode } from 'react';
import { ALERT_TEMPLATE_FIELDS } from '../../../../shared/contract/alertTemplate';
import type { AlertChannelsSettings, ChannelPriority, ChannelTestResult, PushChannelName } from '../../../../shared/dto/alertChannels';
import type { MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useMonitor } from './store';

const SECRET_WORDS: Record<PushChannelName, string> = { webhook: 'Bearer token (optional)', ntfy: 'Access token or password', gotify: 'Application token' };
const TITLES: Record<PushChannelName, string> = { webhook: 'Webhook', ntfy: 'ntfy', gotify: 'Gotify' };

/** The channel's secret: stored or not, why it was cleared, and a field to enter it (kept for the saved address). */
function ChannelSecret({ channel, settings, unsaved }: { channel: PushChannelName; settings: MonitorSettingsView; unsaved: boolean }) {
  const { setChannelSecret } = useMonitor.getState();
  const [text, setText] = useState('');
  const view = settings.channelSecrets[channel];
  return (
    <label className="monitor-wide">
      <span>
        {SECRET_WORDS[channel]} {view.set ? <span className="badge badge-ok">stored</span> : <span className="muted">(not set)</span>}
      </span>
      {view.note && (
        <span className="badge badge-warn" data-testid={`${channel}-secret-note`}>
          {view.note}
        </span>
      )}
      <span className="row">
        <input type="password" value={text} onChange={(e) => setText(e.target.value)} aria-label={`${TITLES[channel]} ${SECRET_WORDS[channel]}`} autoComplete="new-password" data-testid={`${channel}-secret`} />
        <button
          className="button secondary"
          disabled={!text || unsaved}
          title={unsaved ? 'Save the new address first: the secret is kept for the saved address only' : undefined}
          onClick={() => void setChannelSecret(channel, text).then(() => setText(''))}
        >
          Store
        </button>
        {view.set && (
          <button className="button secondary" onClick={() => void setChannelSecret(channel, null)}>
            Forget
          </button>
        )}
      </span>
    </label>
  );
}

/** "Send test": uses the saved settings, so it waits for a save. */
function ChannelTest({ channel, dirty, ready }: { channel: PushChannelName; dirty: boolean; ready: boolean }) {
  const { testChannel } = useMonitor.getState();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ChannelTestResult | null>(null);
  return (
    <div className="row">
      <button
        className="button secondary"
        disabled={busy || dirty || !ready}
        title={dirty ? 'Save the settings first' : !ready ? 'Fill in and save the address first' : undefined}
        onClick={() => {
          setBusy(true);
          setResult(null);
          void testChannel(channel).then((r) => {
            setBusy(false);
            setResult(r);
          });
        }}
        data-testid={`${channel}-test`}
      >
        Send test to {TITLES[channel]}
      </button>
      {result && (
        <span className={result.sent ? 'monitor-ok' : 'form-error'} data-testid={`${channel}-test-result`}>
          {result.message}
        </span>
      )}
    </div>
  );
}

function PriorityPicker({ value, max, min, onChange, label }: { value: ChannelPriority; min: number; max: number; label: string; onChange(p: ChannelPriority): void }) {
  const options = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <label>
      Priority
      <select value={String(value)} onChange={(e) => onChange(e.target.value === 'by-level' ? 'by-level' : Number(e.target.value))} aria-label={label}>
        <option value="by-level">By level (critical high, cleared low)</option>
        {options.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );
}

function Enabled({ checked, onChange, children, testId }: { checked: boolean; onChange(v: boolean): void; children: ReactNode; testId: string }) {
  return (
    <label className="monitor-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {children}
    </label>
  );
}

/**
 * Alerts where a home lab reads them: ntfy, Gotify and a generic webhook (a JSON template over the alert's
 * fields). Edited in the section's draft; secrets and tests follow the saved settings.
 */
export function AlertChannelSettings({ settings, channels, setChannels, dirty }: { settings: MonitorSettingsView; channels: AlertChannelsSettings; setChannels(c: AlertChannelsSettings): void; dirty: boolean }) {
  const saved = settings.channels;
  const { ntfy, gotify, webhook } = channels;
  const set = <K extends PushChannelName>(ch: K, patch: Partial<AlertChannelsSettings[K]>) => setChannels({ ...channels, [ch]: { ...channels[ch], ...patch } });
  return (
    <>
      <h3>ntfy</h3>
      <div className="monitor-form">
        <Enabled checked={ntfy.enabled} onChange={(enabled) => set('ntfy', { enabled })} testId="ntfy-enabled">Send alerts to ntfy</Enabled>
        <label>
          Server
          <input value={ntfy.server} placeholder="https://ntfy.sh" onChange={(e) => set('ntfy', { server: e.target.value.trim() })} aria-label="ntfy server" />
        </label>
        <label>
          Topic
          <input value={ntfy.topic} placeholder="studio-alerts" onChange={(e) => set('ntfy', { topic: e.target.value.trim() })} aria-label="ntfy topic" data-testid="ntfy-topic" />
        </label>
        <label title="With a user, the secret below is that user's password; without one it is an access token (tk_…).">
          User (optional)
          <input value={ntfy.user} onChange={(e) => set('ntfy', { user: e.target.value.trim() })} aria-label="ntfy user" autoComplete="off" />
        </label>
        <PriorityPicker value={ntfy.priority} min={1} max={5} label="ntfy priority" onChange={(priority) => set('ntfy', { priority })} />
        <label>
          Tags (comma-separated)
          <input value={ntfy.tags.join(', ')} placeholder="computer" onChange={(e) => set('ntfy', { tags: e.target.value.split(',').map((t) => t.trim()).filter(Boolean) })} aria-label="ntfy tags" />
        </label>
        <ChannelSecret channel="ntfy" settings={settings} unsaved={saved.ntfy.server !== '' && (ntfy.server !== saved.ntfy.server || ntfy.user !== saved.ntfy.user)} />
      </div>
      <ChannelTest channel="ntfy" dirty={dirty} ready={saved.ntfy.server !== '' && saved.ntfy.topic !== ''} />

      <h3>Gotify</h3>
      <div className="monitor-form">
        <Enabled checked={gotify.enabled} onChange={(enabled) => set('gotify', { enabled })} testId="gotify-enabled">Send alerts to Gotify</Enabled>
        <label>
          Server
          <input value={gotify.server} placeholder="https://gotify.lan" onChange={(e) => set('gotify', { server: e.target.value.trim() })} aria-label="Gotify server" />
        </label>
        <PriorityPicker value={gotify.priority} min={0} max={10} label="Gotify priority" onChange={(priority) => set('gotify', { priority })} />
        <ChannelSecret channel="gotify" settings={settings} unsaved={saved.gotify.server !== '' && gotify.server !== saved.gotify.server} />
      </div>
      <ChannelTest channel="gotify" dirty={dirty} ready={saved.gotify.server !== ''} />

      <h3>Webhook</h3>
      <div className="monitor-form">
        <Enabled checked={webhook.enabled} onChange={(enabled) => set('webhook', { enabled })} testId="webhook-enabled">POST alerts as JSON to a URL</Enabled>
        <label className="monitor-wide">
          URL
          <input value={webhook.url} placeholder="https://hooks.example.com/church" onChange={(e) => set('webhook', { url: e.target.value.trim() })} aria-label="Webhook URL" />
        </label>
        <label className="monitor-wide" title={`A JSON document; in its strings, ${ALERT_TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(' ')} are replaced by the alert's fields. A string that is only "{{value}}" becomes the number.`}>
          Template (JSON; fields: {ALERT_TEMPLATE_FIELDS.join(', ')})
          <textarea rows={6} value={webhook.template} onChange={(e) => set('webhook', { template: e.target.value })} aria-label="Webhook template" spellCheck={false} data-testid="webhook-template" />
        </label>
        <ChannelSecret channel="webhook" settings={settings} unsaved={saved.webhook.url !== '' && webhook.url !== saved.webhook.url} />
      </div>
      <ChannelTest channel="webhook" dirty={dirty} ready={saved.webhook.url !== ''} />
    </>
  );
}
