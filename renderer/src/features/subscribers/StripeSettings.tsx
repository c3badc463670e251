import { useEffect, useState } from 'react';
import type { StripeStatus } from '../../../../shared/dto/stripe';
import { connectSubscribers, useSubscribers } from './store';
import { KeyRotationReminder, keyAgeText } from './KeyRotationReminder';
import './subscribers.css';
import { Button } from '../../ui/Button';
import { Input } from '../../ui/Input';
import { Select } from '../../ui/Select';
import { Toggle } from '../../ui/Toggle';

const TIER_OPTIONS = [
  { value: 'subscriber', label: 'subscriber items' },
  { value: 'premium', label: 'premium items (and subscriber)' },
] as const;

const STORE_TEXT = {
  'os-keychain': 'kept encrypted by the OS keychain',
  'weak-file': 'kept without an OS keychain: anyone who can read your files can read it (Settings › Secrets)',
  environment: 'from STRIPE_API_KEY (a key pasted here lasts until the studio stops)',
  memory: 'kept in memory only',
} as const;

/** The restricted key: shown masked, a field to paste a new one, and how to create it with read-only permissions. */
function StripeKey({ status }: { status: StripeStatus }) {
  const { saveKey, clearKey } = useSubscribers();
  const [key, setKey] = useState('');
  const looksFull = /^sk_/.test(key.trim());
  return (
    <>
      <KeyRotationReminder status={status} />
      <dl className="facts">
        <dt>Key</dt>
        <dd>
          {status.key.present ? (
            <>
              <span className="mono" data-testid="stripe-key-masked">
                {status.key.masked}
              </span>{' '}
              <span className="muted">
                ({status.key.mode} mode, {STORE_TEXT[status.key.store]}, <span data-testid="stripe-key-age">{keyAgeText(status.key)}</span>)
              </span>{' '}
              <Button variant="secondary" size="small" onClick={() => void clearKey()}>
                Forget
              </Button>
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
      </dl>
      <form
        className="row stripe-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveKey(key).then((ok) => ok && setKey(''));
        }}
      >
        <Input type="password" autoComplete="off" spellCheck={false} placeholder="rk_live_…" value={key} onChange={(e) => setKey(e.target.value)} aria-label="Restricted key" data-testid="stripe-key-input" />
        <Button type="submit" disabled={!key.trim()} data-testid="stripe-key-save">
          Save key
        </Button>
      </form>
      {looksFull && <div className="form-error">That is a full secret key (sk_…). The studio only reads: create a restricted key instead.</div>}
      <details className="stripe-permissions" open={!status.key.present}>
        <summary>How to create the restricted key</summary>
        <p className="muted">
          Stripe Dashboard → Developers → API keys → <em>Create restricted key</em>. Grant these, as <strong>Read</strong>, and leave everything
          else at None:
        </p>
        <ul data-testid="stripe-permissions">
          {status.permissions.map((p) => (
            <li key={p.permission}>
              {p.label} <span className="muted mono">{p.permission}</span>
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

/** Which library tier each synced product unlocks. */
function ProductTiers() {
  const { products, setProductTier } = useSubscribers();
  return (
    <details className="stripe-tiers">
      <summary>Access tiers: which library tier each product unlocks</summary>
      {products.length === 0 ? (
        <p className="muted">No products synced yet.</p>
      ) : (
        <table className="table" data-testid="stripe-product-tiers">
          <tbody>
            {products.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name} {!p.active && <span className="muted">(archived)</span>}
                </td>
                <td className="muted">{p.subscribers} subscriptions</td>
                <td>
                  <Select value={p.tier} options={TIER_OPTIONS} onChange={(tier) => void setProductTier(p.id, tier)} aria-label={`Tier unlocked by ${p.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

/** Settings → Stripe: the restricted key (shown masked only), its read permissions, webhook and request-rate cap. */
export function StripeSettings() {
  const { status, saveWebhookSecret, saveSettings } = useSubscribers();
  const [secret, setSecret] = useState('');
  const [rate, setRate] = useState('');
  const [port, setPort] = useState('');
  useEffect(() => {
    connectSubscribers();
    void useSubscribers.getState().loadStatus();
    void useSubscribers.getState().loadProducts();
  }, []);
  useEffect(() => {
    if (status) {
      setRate(String(status.settings.maxRequestsPerSecond));
      setPort(String(status.settings.webhookPort));
    }
  }, [status]);
  if (!status) return null;
  return (
    <div className="card stripe-settings" data-testid="stripe-settings">
      <h2>Stripe</h2>
      <StripeKey status={status} />
      <div className="stripe-field">
        <label>
          Requests per second{' '}
          <Input narrow type="number" min={1} max={100} value={rate} onChange={(e) => setRate(e.target.value)} onBlur={() => Number(rate) !== status.settings.maxRequestsPerSecond && void saveSettings({ maxRequestsPerSecond: Number(rate) })} data-testid="stripe-rate" />
        </label>
        <span className="muted small">Stripe allows 100 reads/s live and 25 in test mode; the sync stays under this cap and backs off on 429.</span>
      </div>
      <div className="stripe-field">
        <Toggle checked={status.settings.webhookEnabled} onChange={(on) => void saveSettings({ webhookEnabled: on })} onText="Live updates through a loopback webhook" offText="Live updates through a loopback webhook" label="Live updates through a loopback webhook" />
        <label>
          Port <Input narrow type="number" min={1024} max={65535} value={port} onChange={(e) => setPort(e.target.value)} onBlur={() => Number(port) !== status.settings.webhookPort && void saveSettings({ webhookPort: Number(port) })} />
        </label>
        {status.webhookUrl && (
          <span className="muted small mono">
            stripe listen --forward-to {status.webhookUrl.replace('http://', '')}
          </span>
        )}
      </div>
      <ProductTiers />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void saveWebhookSecret(secret.trim() || null).then((ok) => ok && setSecret(''));
        }}
      >
        <Input type="password" autoComplete="off" placeholder={status.webhookSecretSet ? 'signing secret set (whsec_…)' : 'webhook signing secret whsec_…'} value={secret} onChange={(e) => setSecret(e.target.value)} aria-label="Webhook signing secret" />
        <Button type="submit" variant="secondary">
          {secret.trim() ? 'Save secret' : status.webhookSecretSet ? 'Forget secret' : 'Save secret'}
        </Button>
      </form>
    </div>
  );
}
