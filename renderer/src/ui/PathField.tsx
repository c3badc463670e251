import { useId, useState } from 'react';
import { completePath, nativeFilePicker } from '../lib/filePicking';

/**
 * A file path field: typed with completion from the studio's folders (a browser has no file dialog that reveals
 * paths), plus "Choose…" with the native dialog in the window.
 */
export function PathField(props: {
  id: string;
  value: string;
  onChange(path: string): void;
  extensions: string[];
  invalid: boolean;
  describedBy?: string;
  testId: string;
  placeholder?: string;
}) {
  const { id, value, onChange, extensions, invalid, describedBy, testId, placeholder } = props;
  const listId = useId();
  const [options, setOptions] = useState<{ path: string; folder: boolean }[]>([]);
  const pick = nativeFilePicker();
  const type = (path: string) => {
    onChange(path);
    void completePath(path, extensions).then(setOptions);
  };
  return (
    <span className="path-field">
      <input
        id={id}
        className="input"
        value={value}
        onChange={(e) => type(e.target.value)}
        onFocus={() => value && void completePath(value, extensions).then(setOptions)}
        list={listId}
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder ?? '/full/path/to/file'}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        data-testid={testId}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.path} value={o.folder ? `${o.path}/` : o.path} />
        ))}
      </datalist>
      {pick && (
        <button type="button" className="button secondary small" onClick={() => void pick(extensions).then((p) => p && onChange(p))}>
          Choose…
        </button>
      )}
    </span>
  );
}
