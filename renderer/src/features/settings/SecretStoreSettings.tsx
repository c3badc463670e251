import { Fragment, useEffect, useState } from 'react';
import type { SecretAge, SecretStoreInfo } from '../../../../shared/dto/secrets';
import { call } from '../../lib/api';

const KIND_TITLE: Record<SecretStoreInfo['kind'], string> = {
  'os-keychain': 'OS keychain',
  'weak-file': 'No keychain (weak)',
  environment: 'Environment variables',
  memory: 'Memory only',
};

function ageText(a: SecretAge): string {
  if (!a.set) return 'not set';
  if (a.ageDays === null) return 'set, age unknown';
  return `set ${a.ageDays === 0 ? 'today' : `${a.ageDays} day${a.ageDays === 1 ? '' : 's'} ago`}`;
}

/** Each secret: set or not and how old (never its value), with the rotation reminder where there is a rule. */
function SecretAges({ ages }: { ages: SecretAge[] }) {
  return (
    <dl className="facts" data-testid="secret-ages">
      {ages.map((a) => (
        <Fragment key={a.name}>
          <dt>{a.label}</dt>
          <dd data-testid={`secret-age-${a.name}`}>
            {ageText(a)}
            {a.rotateDue && <span className="badge badge-bad"> rotate: older than {a.rotateAfterDays} days</span>}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** Settings › Secrets: where the Stripe key and SMTP password really are, how old each is, and the consent to a weak store. */
export function SecretStoreSettings() {
  const [info, setInfo] = useState<SecretStoreInfo | null>(null);
  const [ages, setAges] = useState<SecretAge[]>([]);
  useEffect(() => {
    void call('secrets.storeInfo', {}).then(setInfo, () => undefined);
    void call('secrets.ages', {}).then(setAges, () => undefined);
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
      <SecretAges ages={ages} />
      {info.kind === 'weak-file' && (
        <label className="switch">
          <input type="checkbox" checked={info.weakAccepted} onChange={(e) => accept(e.target.checked)} data-testid="accept-weak-store" />
          <span>Keep secrets without a keychain (anyone who can read my files can read them)</span>
        </label>
      )}
    </div>
  );
}
