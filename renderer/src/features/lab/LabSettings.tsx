import { useEffect, useState } from 'react';
import type { LabSettings as LabSettingsData, LabSettingsView } from '../../../../shared/dto/lab';
import { call } from '../../lib/api';
import { Field, OnOff } from '../../ui/Field';
import { Button } from '../../ui/Button';
import { Input, TextArea } from '../../ui/Input';

const SOURCE_TEXT: Record<LabSettingsView['source'], string> = {
  environment: 'The lab comes from the environment (CHURCH_LAB_URL / --lab), which wins over these settings.',
  settings: 'The lab is on, from these settings.',
  off: 'The lab is off: every job runs on this machine.',
};

/**
 * Settings → Lab: the lab's Redis (URL, ACL user, password kept in the secret store and shown only as set/not set,
 * TLS and its CA), the lab secret file, node_exporter targets and the offline time.
 */
export function LabSettings() {
  const [view, setView] = useState<LabSettingsView | null>(null);
  const [draft, setDraft] = useState<LabSettingsData | null>(null);
  const [targets, setTargets] = useState('');
  const [password, setPassword] = useState('');
  const [applying, setApplying] = useState(false);
  const load = (v: LabSettingsView) => {
    setView(v);
    setDraft(v.settings);
    setTargets(v.settings.targets.join('\n'));
  };
  useEffect(() => {
    void call('lab.getSettings', {}).then(load, () => undefined);
  }, []);
  if (!view || !draft) return null;
  const patch = (p: Partial<LabSettingsData>) => setDraft({ ...draft, ...p });
  const save = () => {
    const list = targets.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
    void call('lab.setSettings', { settings: { ...draft, targets: list } }).then(load, () => undefined);
  };
  // The studio reopens its services meanwhile (the screen shows it); this view follows with the lab now in use.
  const apply = () => {
    setApplying(true);
    void call('lab.apply', {}).then(load, () => undefined).finally(() => setApplying(false));
  };
  const savePassword = (value: string | null) =>
    void call('lab.setPassword', { password: value }).then((v) => {
      setView(v);
      setPassword('');
    }, () => undefined);
  const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
  // The password is kept for the saved Redis: a new URL (or TLS switch) is saved before its password (one stored
  // before any Redis binds to the first one saved).
  const redisUnsaved = view.settings.redisUrl !== '' && (draft.redisUrl !== view.settings.redisUrl || draft.tls !== view.settings.tls);

  return (
    <div className="card" data-testid="settings-lab">
      <h2>Lab</h2>
      <p className="muted small" data-testid="lab-source">
        {SOURCE_TEXT[view.source]}
        {view.activeUrl ? <> Redis: <span className="mono">{view.activeUrl}</span>.</> : null}
      </p>
      {view.problem && <div className="form-error" data-testid="lab-problem">The lab in these settings could not be used: {view.problem}</div>}
      {view.restartNeeded && (
        <div className="form-error row" data-testid="lab-restart">
          <span>The Redis settings changed: they apply when the studio starts again, or now. Running jobs then stop as when the studio quits, and are queued again (or left for you to retry, as set in Settings → Jobs → "After a crash"). node_exporter targets apply at once.</span>
          <Button onClick={apply} disabled={applying} data-testid="lab-apply">
            {applying ? 'Applying…' : 'Apply now'}
          </Button>
        </div>
      )}
      <Field label="Lab on" help="Jobs go to the lab's agents; the kill switch stops them too. Turning it off loses nothing: jobs stay in the studio's queue.">
        <OnOff checked={draft.enabled} onChange={(enabled) => patch({ enabled })} testId="lab-enabled" />
      </Field>
      <Field label="Redis URL" help="The lab's Redis, like redis://nas.lan:6379 (the password goes in its own field).">
        <Input className="mono" value={draft.redisUrl} onChange={(e) => patch({ redisUrl: e.target.value })} placeholder="redis://nas.lan:6379" aria-label="Redis URL" data-testid="lab-redis-url" />
      </Field>
      <Field label="ACL user" help="The Redis user (ACL); empty for the default user.">
        <Input value={draft.user} onChange={(e) => patch({ user: e.target.value })} autoComplete="off" aria-label="ACL user" data-testid="lab-user" />
      </Field>
      <Field label="Redis password" help={`Kept in the secret store, never shown: ${view.passwordSet ? 'set' : 'not set'}.`}>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            savePassword(password);
          }}
        >
          <span className={`badge ${view.passwordSet ? 'badge-ok' : ''}`} data-testid="lab-password-state">
            {view.passwordSet ? 'set' : 'not set'}
          </span>
          <Input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} aria-label="Redis password" data-testid="lab-password" />
          <Button type="submit" variant="secondary" disabled={!password || redisUnsaved} title={redisUnsaved ? 'Save the Redis URL first: the password is kept for the saved server only' : undefined} data-testid="lab-password-save">
            Save password
          </Button>
          {view.passwordSet && (
            <Button variant="secondary" onClick={() => savePassword(null)}>
              Forget
            </Button>
          )}
        </form>
        {view.passwordNote && (
          <div className="form-error" data-testid="lab-password-note">
            Enter the password for the new server: {view.passwordNote}
          </div>
        )}
      </Field>
      <Field label="TLS" help="Connect with TLS (rediss://). A CA file (PEM) is trusted besides the system's, for a lab's own CA.">
        <div className="row">
          <OnOff checked={draft.tls} onChange={(tls) => patch({ tls })} testId="lab-tls" />
          <Input className="mono" value={draft.caFile} disabled={!draft.tls} onChange={(e) => patch({ caFile: e.target.value })} placeholder="/etc/ssl/lab-ca.pem" aria-label="CA file" data-testid="lab-ca-file" />
        </div>
      </Field>
      <Field label="Lab secret file" help="The secret shared with every agent (chmod 600; at least 16 characters): openssl rand -hex 32 > lab.secret">
        <Input className="mono" value={draft.secretFile} onChange={(e) => patch({ secretFile: e.target.value })} placeholder="/home/you/.config/church/lab.secret" aria-label="Lab secret file" data-testid="lab-secret-file" />
      </Field>
      <Field label="node_exporter targets" help="Hosts without an agent: one Prometheus node_exporter URL a line. Scraped with or without Redis.">
        <TextArea className="mono" rows={3} value={targets} onChange={(e) => setTargets(e.target.value)} placeholder="http://nas.lan:9100/metrics" aria-label="node_exporter targets" data-testid="lab-targets" />
      </Field>
      <Field label="Scrape every (s) · timeout (s)" help="How often each target is read, and how long one read may take before the target shows as down.">
        <div className="row">
          <Input narrow type="number" min={5} max={3600} value={draft.scrapeIntervalSec} onChange={(e) => patch({ scrapeIntervalSec: num(e.target.value) })} aria-label="Scrape every (s)" data-testid="lab-scrape-interval" />
          <Input narrow type="number" min={1} max={60} value={draft.scrapeTimeoutSec} onChange={(e) => patch({ scrapeTimeoutSec: num(e.target.value) })} aria-label="Scrape timeout (s)" data-testid="lab-scrape-timeout" />
        </div>
      </Field>
      <Field label="Host offline after (s)" help={'A lab host (agent or node_exporter target) silent this long shows as offline and raises a "host offline" alert.'}>
        <Input narrow type="number" min={5} max={86400} value={draft.offlineSec} onChange={(e) => patch({ offlineSec: num(e.target.value) })} aria-label="Host offline after (s)" data-testid="lab-offline" />
      </Field>
      <div className="row">
        <Button onClick={save} data-testid="lab-save">
          Save lab settings
        </Button>
      </div>
    </div>
  );
}
