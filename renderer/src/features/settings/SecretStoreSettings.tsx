import { useEffect, useState } from 'react';
import type { SecretStoreInfo } from '../../../../shared/dto/secrets';
import { call } from '../../lib/api';

const KIND_TITLE: Record<SecretStoreInfo['kind'], string> = {
  'os-keychain': 'OS keychain',
  'weak-file': 'No keychain (weak)',
  environment: 'Environment variables',
  memory: 'Memory only',
};

/** Settings › Secrets: where the Stripe key and SMTP password really are, and the owner's consent to a weak store. */
export function SecretStoreSettings() {
  const [info, setInfo] = useState<SecretStoreInfo | null>(null);
  useEffect(() => {
    void call('secrets.storeInfo', {}).then(setInfo, () => undefined);
  }, []);
  if (!info) return null;
  const accept = (v: boolean) => void call('secrets.acceptWeakStore', { accept: v }).then(setInfo, () => undefined);
  return (
    <div className="card" data-testid="settings-secrets">
      <h2>Secrets</h2>
      <div className="settings-field">
        <div>
          <div className="settings-label">Where secrets are kept</div>
          <div className="muted small" data-testid="secret-store-description">
            {info.description}
          </div>
        </div>
        <div>
          <span className={`badge ${info.kind === 'weak-file' ? 'badge-bad' : ''}`} data-testid="secret-store-kind">
            {KIND_TITLE[info.kind]}
          </span>
        </div>
      </div>
      {info.kind === 'weak-file' && (
        <label className="switch">
          <input type="checkbox" checked={info.weakAccepted} onChange={(e) => accept(e.target.checked)} data-testid="accept-weak-store" />
          <span>Keep secrets without a keychain (anyone who can read my files can read them)</span>
        </label>
      )}
    </div>
  );
}
