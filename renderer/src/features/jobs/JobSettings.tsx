import { useEffect, useState } from 'react';
import type { JobEngineSettings } from '../../../../shared/dto/jobs';
import { useAutoSave, type SaveStatus } from '../../lib/useAutoSave';
import { SaveState } from '../../ui/SaveState';
import { useJobs } from './store';
import './jobs.css';

/** The job engine's section of Settings: concurrency, what happens after a crash, and the preset files. */
export function JobSettings() {
  const settings = useJobs((s) => s.settings);
  const presets = useJobs((s) => s.presets);
  const problems = useJobs((s) => s.presetProblems);
  const userDir = useJobs((s) => s.userPresetDir);
  const saveSettings = useJobs((s) => s.saveSettings);
  // Every field saves itself as it changes; the last one changed says so.
  const [status, setStatus] = useState<{ field: string; status: SaveStatus } | null>(null);
  const save = async (field: string, patch: Partial<Pick<JobEngineSettings, 'concurrency' | 'recovery' | 'noSpace'>>) => {
    setStatus({ field, status: 'saving' });
    const ok = await saveSettings(patch);
    setStatus({ field, status: ok ? 'saved' : 'failed' });
    return ok;
  };
  const stateOf = (field: string) => <SaveState status={status?.field === field ? status.status : 'idle'} testId={`job-${field}-state`} />;
  useEffect(() => {
    void useJobs.getState().loadSettings();
    void useJobs.getState().loadPresets();
  }, []);
  if (!settings) return null;
  return (
    <div className="card job-settings" data-testid="job-settings">
      <h2>Jobs</h2>
      <dl className="facts">
        <dt>
          <label htmlFor="job-concurrency">Jobs at once</label>
        </dt>
        <dd>
          <Concurrency saved={settings.concurrency} save={(concurrency) => save('concurrency', { concurrency })} status={status?.field === 'concurrency' ? status.status : 'idle'} />{' '}
          <span className="muted">default {settings.defaultConcurrency} for this machine (x264 already uses every core)</span>
        </dd>
        <dt>
          <label htmlFor="job-recovery">After a crash</label>
        </dt>
        <dd>
          <select id="job-recovery" value={settings.recovery} onChange={(e) => void save('recovery', { recovery: e.target.value === 'leave' ? 'leave' : 'requeue' })} aria-label="After a crash" data-testid="job-recovery">
            <option value="requeue">Queue interrupted jobs again</option>
            <option value="leave">Leave them for me to retry</option>
          </select>
          {stateOf('recovery')}
        </dd>
        <dt>
          <label htmlFor="job-nospace">Too little disk space</label>
        </dt>
        <dd>
          <select id="job-nospace" value={settings.noSpace} onChange={(e) => void save('nospace', { noSpace: e.target.value === 'fail' ? 'fail' : 'wait' })} aria-label="Too little disk space" data-testid="job-nospace" title="Checked before ffmpeg starts: the output's estimated size against the free space of its folder's disk">
            <option value="wait">The job waits in the queue until there is room</option>
            <option value="fail">The job fails at once</option>
          </select>
          {stateOf('nospace')}
        </dd>
        <dt>Presets</dt>
        <dd>
          <ul className="job-preset-list">
            {presets.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong> <span className="muted">({p.kind}, {p.source})</span> — {p.description}
              </li>
            ))}
          </ul>
          {problems.map((m) => (
            <div key={m} className="form-error">
              {m}
            </div>
          ))}
          {userDir && (
            <p className="muted">
              Your own presets: copy a preset file into <code>{userDir}</code>, change its name and params.
            </p>
          )}
        </dd>
      </dl>
    </div>
  );
}

/** Jobs at once: saved as it is typed when it is a whole number from 1 to 64, else told under the field. */
function Concurrency({ saved, save, status }: { saved: number; save(n: number): Promise<boolean>; status: SaveStatus }) {
  const field = useAutoSave({
    id: 'settings.jobs.concurrency',
    what: 'the “Jobs at once” setting (its value is not valid)',
    place: 'settings',
    saved,
    toText: String,
    parse: (t) => {
      const n = Number(t);
      return t.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 64 ? { value: n } : { error: 'Jobs at once: enter a whole number from 1 to 64' };
    },
    save,
  });
  return (
    <>
      <input
        id="job-concurrency"
        type="number"
        min={1}
        max={64}
        value={field.text}
        onChange={(e) => field.change(e.target.value)}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.error ? 'job-concurrency-error' : undefined}
        data-testid="job-concurrency"
      />
      <SaveState status={field.error ? 'idle' : status} testId="job-concurrency-state" />
      {field.error && (
        <p id="job-concurrency-error" className="form-error field-error" role="alert" data-testid="job-concurrency-error">
          {field.error}
        </p>
      )}
    </>
  );
}
