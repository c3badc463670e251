import { useState } from 'react';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import { usePresetParams } from '../../lib/presetParams';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ParamForm } from '../../ui/ParamForm';
import { useJobs } from './store';

interface Draft {
  base: PresetInfo;
  name: string;
  description: string;
  /** Editing an existing user preset (its name is fixed) rather than making a new one. */
  existing: boolean;
}

function nameProblem(draft: Draft, presets: PresetInfo[]): string | null {
  if (!draft.name.trim()) return 'Name: enter a name for the preset';
  if (!/^[\w.-]{1,64}$/.test(draft.name)) return 'Name: use letters, digits, _ . - only (at most 64)';
  if (!draft.existing && presets.some((p) => p.name === draft.name && p.source === 'user')) return 'Name: one of your presets already has this name; choose another, or edit that one';
  return null;
}

/** A preset being made or changed: its name, description and every parameter of its kind, all in view. */
function DraftForm({ draft, onClose }: { draft: Draft; onClose(): void }) {
  const presets = useJobs((s) => s.presets);
  const savePreset = useJobs((s) => s.savePreset);
  const [name, setName] = useState(draft.name);
  const [description, setDescription] = useState(draft.description);
  // In a preset, a per-job value (the watermark image) may stay blank: each job fills it in.
  const fields = draft.base.fields.map((f) => ({ ...f, required: false, requiredWhen: undefined }));
  const form = usePresetParams({ ...draft.base, fields });
  const problem = nameProblem({ ...draft, name }, presets);
  const shadows = !draft.existing && presets.some((p) => p.name === name && p.source === 'built-in');
  const save = async () => {
    if (problem || form.firstError) return;
    const ok = await savePreset({ name, kind: draft.base.kind, description, params: { ...draft.base.params, ...form.all } });
    if (ok) onClose();
  };
  return (
    <div className="preset-draft" data-testid="preset-draft">
      <h3>{draft.existing ? `Edit ${draft.name}` : `New preset from ${draft.base.name} (${draft.base.kind})`}</h3>
      <div className="param-row">
        <label htmlFor="preset-name">Name</label>
        <input id="preset-name" className="input" value={name} disabled={draft.existing} onChange={(e) => setName(e.target.value)} aria-invalid={!!problem || undefined} aria-describedby={problem ? 'preset-name-error' : undefined} data-testid="preset-name" />
        {problem && (
          <p id="preset-name-error" className="form-error param-error" role="alert">
            {problem}
          </p>
        )}
      </div>
      {shadows && <p className="muted small">Your preset will be used instead of the built-in one of this name (delete yours to get it back).</p>}
      <div className="param-row">
        <label htmlFor="preset-description">Description</label>
        <input id="preset-description" className="input" value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} data-testid="preset-description" />
      </div>
      <ParamForm fields={form.fields} edits={form.edits} errors={form.errors} onChange={form.set} idPrefix="preset-param" open />
      <div className="preset-draft-actions">
        <button className="button" disabled={!!problem || !!form.firstError} title={problem ?? form.firstError ?? undefined} onClick={() => void save()} data-testid="preset-save">
          Save preset
        </button>
        <button className="button ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * The owner's presets (HandBrake's idea: presets are data to copy and change): a new one starts as a copy of any
 * preset, a user preset can be edited or deleted; built-in ones stay as shipped.
 */
export function PresetEditor() {
  const presets = useJobs((s) => s.presets);
  const userDir = useJobs((s) => s.userPresetDir);
  const deletePreset = useJobs((s) => s.deletePreset);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [baseName, setBaseName] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  const base = presets.find((p) => p.name === baseName) ?? presets[0];
  return (
    <details className="card preset-editor" data-testid="preset-editor">
      <summary>
        <h2>Presets</h2>
      </summary>
      <ul className="preset-list">
        {presets.map((p) => (
          <li key={p.name} data-testid={`preset-row-${p.name}`}>
            <strong>{p.name}</strong> <span className="muted small">{p.kind} · {p.source === 'user' ? 'yours' : 'built-in'}</span>
            <span className="muted small preset-desc">{p.description}</span>
            {p.source === 'user' && (
              <span className="preset-row-actions">
                <button className="button ghost small" onClick={() => setDraft({ base: p, name: p.name, description: p.description, existing: true })} data-testid={`preset-edit-${p.name}`}>
                  Edit
                </button>
                <button className="button ghost small" onClick={() => setDeleting(p.name)} data-testid={`preset-delete-${p.name}`}>
                  Delete
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {!draft && base && (
        <div className="preset-new">
          <label htmlFor="preset-base">New preset from</label>
          <select id="preset-base" className="input" value={base.name} onChange={(e) => setBaseName(e.target.value)} data-testid="preset-base">
            {presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} ({p.kind})
              </option>
            ))}
          </select>
          <button className="button secondary small" onClick={() => setDraft({ base, name: `${base.name}-mine`, description: base.description, existing: false })} data-testid="preset-new">
            New preset…
          </button>
        </div>
      )}
      {draft && <DraftForm key={`${draft.base.name}:${draft.existing}`} draft={draft} onClose={() => setDraft(null)} />}
      {userDir && <p className="muted small">Your presets are JSON files in {userDir}.</p>}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the preset “${deleting ?? ''}”?`}
        message="Its file is removed; jobs already queued with it keep their settings."
        confirmLabel="Delete"
        cancelLabel="Keep it"
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const name = deleting;
          setDeleting(null);
          if (name) void deletePreset(name);
        }}
        testId="preset-delete-dialog"
      />
    </details>
  );
}
