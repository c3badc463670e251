import { useEffect, useState } from 'react';
import type { BackupPhase, BackupSettingsView } from '../../../../shared/dto/backup';
import { localDateTime } from '../../lib/localTime';
import { Button } from '../../ui/Button';
import { Input } from '../../ui/Input';
import { Toggle } from '../../ui/Toggle';
import { subscribeBackup, useBackup, type BackupState } from './store';
import './backup.css';

const PHASE: Record<BackupPhase, string> = {
  idle: 'Idle',
  snapshot: 'Copying the database',
  verify: 'Verifying the copy',
  'restic-backup': 'Uploading to restic',
  'restic-forget': 'Applying retention',
  'restic-check': 'Checking the repository',
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const when = localDateTime;

/** Settings → Backups: schedule, generations, the restic repository, the last result, and restore. */
export function BackupSettings() {
  const { settings, status, list, pendingRestore, save, runNow, restore } = useBackup();
  const [confirming, setConfirming] = useState<string | null>(null);
  useEffect(() => {
    void useBackup.getState().load();
    void useBackup.getState().loadList();
    return subscribeBackup();
  }, []);
  if (!settings) return null;
  const busy = status !== null && status.phase !== 'idle';
  const last = status?.lastRun ?? null;
  return (
    <div className="card backup-settings" data-testid="backup-settings">
      <h2>Backups</h2>
      <dl className="facts">
        <dt>Automatic snapshots</dt>
        <dd>
          <Toggle checked={settings.enabled} onChange={(on) => void save({ enabled: on })} label="Automatic snapshots" testId="backup-enabled" />{' '}
          every{' '}
          <Input narrow type="number" min={1} max={720} aria-label="Hours between snapshots" value={settings.intervalHours} onChange={(e) => Number(e.target.value) >= 1 && void save({ intervalHours: Number(e.target.value) })} data-testid="backup-interval" /> hours, keep{' '}
          <Input narrow type="number" min={1} max={365} aria-label="Snapshots to keep" value={settings.keep} onChange={(e) => Number.isInteger(Number(e.target.value)) && Number(e.target.value) >= 1 && void save({ keep: Number(e.target.value) })} data-testid="backup-keep" /> snapshots
          <div className="muted small">
            Also before every database upgrade. Snapshots are verified (integrity check and row counts) and kept in <code>{settings.snapshotDir}</code>.
          </div>
        </dd>
        <dt>Restic repository</dt>
        <dd>
          <ResticRepository settings={settings} save={save} />
        </dd>
        <dt>Status</dt>
        <dd data-testid="backup-status">
          {busy ? (
            <span>
              {PHASE[status.phase]} {status.progress !== null && <progress max={1} value={status.progress} aria-label={PHASE[status.phase]} />}
            </span>
          ) : last ? (
            <span className={last.ok ? '' : 'form-error'}>
              {last.ok ? '✓' : '✗'} {when(last.at)}: {last.ok ? `snapshot ${last.snapshot?.id ?? ''}${last.restic ? `, ${mb(last.restic.dataAdded)} uploaded` : ''}` : last.error}
            </span>
          ) : (
            <span className="muted">No backup yet.</span>
          )}
          {status?.lastCheck && <div className="muted small">Last repository check {when(status.lastCheck.at)}: {status.lastCheck.ok ? 'no errors' : status.lastCheck.message}</div>}
          {status?.nextRunAt && <div className="muted small">Next snapshot {when(status.nextRunAt)}</div>}
          <div className="backup-actions">
            <Button disabled={busy} onClick={() => void runNow(false)} data-testid="backup-now">
              Back up now
            </Button>
            {settings.restic.repository && (
              <Button variant="secondary" disabled={busy} onClick={() => void runNow(true)} data-testid="backup-now-restic">
                Back up now + restic
              </Button>
            )}
          </div>
        </dd>
        <dt>Restore</dt>
        <dd>
          {pendingRestore && (
            <div className="notice" role="status" data-testid="backup-restore-pending">
              Snapshot {pendingRestore.restoredId} will be restored when the studio starts next; the current database is kept aside. Quit and start the studio to finish.
            </div>
          )}
          {list?.resticProblem && <div className="form-error">{list.resticProblem}</div>}
          <ul className="backup-list" data-testid="backup-list">
            {list?.local.map((s) => (
              <li key={s.id}>
                <span>
                  {when(s.createdAt)} <span className="muted">({s.reason}, {mb(s.sizeBytes)}{s.verified ? ', verified' : ''})</span>
                </span>
                {confirming === s.id ? (
                  <Button variant="danger" size="small" title="The studio closes its database, restores this snapshot and opens it again; the current database is kept aside" onClick={() => void restore(s.id).then(() => setConfirming(null))} data-testid={`backup-restore-confirm-${s.id}`}>
                    Restore now?
                  </Button>
                ) : (
                  <Button variant="secondary" size="small" onClick={() => setConfirming(s.id)} data-testid={`backup-restore-${s.id}`}>
                    Restore…
                  </Button>
                )}
              </li>
            ))}
            {list?.restic.map((s) => (
              <li key={s.id}>
                <span>
                  {when(s.time)} <span className="muted">(restic {s.shortId})</span>
                </span>
                {confirming === s.id ? (
                  <Button variant="danger" size="small" onClick={() => void restore(s.id).then(() => setConfirming(null))}>
                    Restore now?
                  </Button>
                ) : (
                  <Button variant="secondary" size="small" onClick={() => setConfirming(s.id)}>
                    Restore…
                  </Button>
                )}
              </li>
            ))}
            {list && !list.local.length && !list.restic.length && <li className="muted">No snapshots yet.</li>}
          </ul>
        </dd>
      </dl>
    </div>
  );
}

/** The restic repository and its password: a password typed for a new repository is saved with it. */
function ResticRepository({ settings, save }: { settings: BackupSettingsView; save: BackupState['save'] }) {
  const [repo, setRepo] = useState('');
  const [password, setPassword] = useState('');
  useEffect(() => setRepo(settings.restic.repository ?? ''), [settings.restic.repository]);
  return (
    <>
      <form
        className="backup-repo"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ restic: { ...settings.restic, repository: repo.trim() || null }, ...(password ? { resticPassword: password } : {}) }).then((ok) => ok && setPassword(''));
        }}
      >
        <Input placeholder="/mnt/usb/restic, sftp:host:/repo, rest:http://…, s3:…" value={repo} onChange={(e) => setRepo(e.target.value)} aria-label="Repository" data-testid="backup-repository" />
        <Input type="password" placeholder={settings.resticPasswordSet ? 'password stored' : 'restic password'} value={password} onChange={(e) => setPassword(e.target.value)} aria-label="Restic password" data-testid="backup-password" />
        <Button type="submit" variant="secondary">
          Save
        </Button>
      </form>
      {settings.resticPasswordNote && (
        <div className="form-error small" data-testid="backup-password-note">
          Enter the password for the new repository: {settings.resticPasswordNote}
        </div>
      )}
      <div className="muted small">
        A password in the repository's address is never shown again (user:***@); restic also reads its credentials from the studio's environment (RESTIC_REST_USERNAME/PASSWORD, AWS_*, B2_*, AZURE_*, GOOGLE_*).
      </div>
      <div className="muted small">
        Off-machine copy after each snapshot; keeps {settings.restic.keepDaily} daily, {settings.restic.keepWeekly} weekly, {settings.restic.keepMonthly} monthly; checks the repository every {settings.restic.checkEveryDays} days.
      </div>
    </>
  );
}
