import { useEffect } from 'react';
import { useJobs } from './store';
import './jobs.css';

/** The job engine's section of Settings: concurrency, what happens after a crash, and the preset files. */
export function JobSettings() {
  const settings = useJobs((s) => s.settings);
  const presets = useJobs((s) => s.presets);
  const problems = useJobs((s) => s.presetProblems);
  const userDir = useJobs((s) => s.userPresetDir);
  const save = useJobs((s) => s.saveSettings);
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
          <input
            id="job-concurrency"
            type="number"
            min={1}
            max={64}
            value={settings.concurrency}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1 && n <= 64) void save({ concurrency: n });
            }}
            data-testid="job-concurrency"
          />{' '}
          <span className="muted">default {settings.defaultConcurrency} for this machine (x264 already uses every core)</span>
        </dd>
        <dt>
          <label htmlFor="job-recovery">After a crash</label>
        </dt>
        <dd>
          <select id="job-recovery" value={settings.recovery} onChange={(e) => void save({ recovery: e.target.value === 'leave' ? 'leave' : 'requeue' })} data-testid="job-recovery">
            <option value="requeue">Queue interrupted jobs again</option>
            <option value="leave">Leave them for me to retry</option>
          </select>
        </dd>
        <dt>
          <label htmlFor="job-nospace">Too little disk space</label>
        </dt>
        <dd>
          <select id="job-nospace" value={settings.noSpace} onChange={(e) => void save({ noSpace: e.target.value === 'fail' ? 'fail' : 'wait' })} data-testid="job-nospace" title="Checked before ffmpeg starts: the output's estimated size against the free space of its folder's disk">
            <option value="wait">The job waits in the queue until there is room</option>
            <option value="fail">The job fails at once</option>
          </select>
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
