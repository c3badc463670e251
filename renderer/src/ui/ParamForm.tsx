import type { PresetField } from '../../../shared/dto/jobs';
import { FILE_ENDINGS } from '../lib/filePicking';
import { isNeeded, shownValue, type ParamEdits } from '../lib/presetParams';
import { PathField } from './PathField';
import './paramForm.css';

interface FormProps {
  fields: PresetField[];
  edits: ParamEdits;
  errors: Record<string, string>;
  onChange(key: string, value: string | boolean): void;
  /** Makes ids unique when the form appears twice on a screen. */
  idPrefix: string;
  /** Show every field openly (the preset editor) instead of the needed ones with the rest folded. */
  open?: boolean;
}

function Control({ field, shown, invalid, id, errorId, onChange }: { field: PresetField; shown: string | boolean; invalid: boolean; id: string; errorId: string; onChange(v: string | boolean): void }) {
  const aria = { 'aria-invalid': invalid || undefined, 'aria-describedby': invalid ? errorId : undefined };
  const testId = `param-${field.key}`;
  if (field.type === 'file') {
    return <PathField id={id} value={String(shown)} onChange={onChange} extensions={FILE_ENDINGS[field.key] ?? []} invalid={invalid} describedBy={aria['aria-describedby']} testId={testId} />;
  }
  if (field.type === 'boolean') return <input id={id} type="checkbox" checked={shown === true} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />;
  if (field.type === 'enum') {
    return (
      <select id={id} className="input" value={String(shown)} onChange={(e) => onChange(e.target.value)} {...aria} data-testid={testId}>
        {field.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  return (
    <span className="param-number">
      <input id={id} className="input" inputMode="decimal" value={String(shown)} placeholder={field.nullable ? 'auto' : ''} onChange={(e) => onChange(e.target.value)} {...aria} data-testid={testId} />
      {field.unit && <span className="muted small">{field.unit}</span>}
    </span>
  );
}

function Row({ field, edits, errors, onChange, idPrefix }: { field: PresetField } & Omit<FormProps, 'fields' | 'open'>) {
  const id = `${idPrefix}-${field.key}`;
  const errorId = `${id}-error`;
  const error = errors[field.key];
  return (
    <div className="param-row">
      <label htmlFor={id} title={field.help || undefined}>
        {field.label}
      </label>
      <Control field={field} shown={shownValue(field, edits)} invalid={!!error} id={id} errorId={errorId} onChange={(v) => onChange(field.key, v)} />
      {error && (
        <p id={errorId} className="form-error param-error" role="alert" data-testid={`param-error-${field.key}`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A preset's parameters as a form, generated from the fields main derives from the kind's schema: the values a job
 * needs first, the rest folded under "More settings" (all open in the preset editor). Errors sit under their field.
 */
export function ParamForm(props: FormProps) {
  const { fields, edits, errors, open } = props;
  if (fields.length === 0) return null;
  // A field with an error stays in view even when it is not one the job needs.
  const upFront = open ? fields : fields.filter((f) => isNeeded(f, fields, edits) || errors[f.key]);
  const folded = open ? [] : fields.filter((f) => !upFront.includes(f));
  return (
    <div className="param-form" data-testid="param-form">
      {upFront.map((f) => (
        <Row key={f.key} field={f} {...props} />
      ))}
      {folded.length > 0 && (
        <details className="param-more">
          <summary>More settings ({folded.length})</summary>
          {folded.map((f) => (
            <Row key={f.key} field={f} {...props} />
          ))}
        </details>
      )}
    </div>
  );
}
