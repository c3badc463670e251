import { useId, useState } from 'react';
import { useLibrary } from './store';
import { formatDuration } from '../../lib/format';
import { parsePathList } from './pathList';
import { useFolderCompletion } from './useFolderCompletion';
import { nativeFolderPicker } from '../../lib/filePicking';

/** The path field: browsers do not reveal dropped files' paths, so this is how browser mode imports. */
export function ImportForm({ onDone, autoFocus }: { onDone?(): void; autoFocus?: boolean }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const importPaths = useLibrary((s) => s.importPaths);
  const paths = parsePathList(text);
  const folders = useFolderCompletion(text);
  const listId = useId();
  // In the window, the native folder dialog; a browser has none (it completes typed paths instead).
  const chooseFolder = nativeFolderPicker();
  const submit = async () => {
    if (!paths.length) return;
    setBusy(true);
    const summary = await importPaths(paths);
    setBusy(false);
    if (summary) {
      setText('');
      onDone?.();
    }
  };
  return (
    <form
      className="lib-import-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <input
        className="input"
        placeholder="/home/you/Videos — a folder or file; paste several on separate lines"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onPaste={(e) => {
          const pasted = e.clipboardData.getData('text');
          if (pasted.includes('\n')) {
            e.preventDefault();
            setText(pasted);
          }
        }}
        autoFocus={autoFocus}
        aria-label="Folder or file to import"
        list={listId}
        data-testid="import-path"
        spellCheck={false}
      />
      {/* The folders under what is typed so far: the browser's own completion list (it has no folder dialog). */}
      <datalist id={listId} data-testid="import-folders">
        {folders.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {chooseFolder && (
        <button
          className="button secondary"
          type="button"
          onClick={() => void chooseFolder().then((folder) => folder && setText(folder))}
          data-testid="import-choose-folder"
        >
          Choose folder…
        </button>
      )}
      <button className="button" type="submit" disabled={busy || !paths.length} data-testid="import-submit">
        {busy ? 'Importing…' : paths.length > 1 ? `Import ${paths.length} paths` : 'Import'}
      </button>
    </form>
  );
}

/** The running import: phase, counts, current file, rate, ETA and cancel. */
export function ImportProgressBar() {
  const p = useLibrary((s) => s.importProgress);
  const cancel = useLibrary((s) => s.cancelImport);
  if (!p) return null;
  const todo = p.probed + p.queued;
  const fraction = p.phase === 'walking' || todo === 0 ? null : p.probed / todo;
  const phase = { walking: 'Finding files', probing: 'Reading files', assets: 'Making thumbnails', done: 'Done', cancelled: 'Cancelled', failed: 'Failed' }[p.phase];
  return (
    <div className="lib-import-progress" data-testid="import-progress" role="progressbar" aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
      <div className="row spread">
        <span>
          <strong>{phase}</strong>
          <span className="muted">
            {' '}
            · {p.seen} found · {p.probed} read{p.failed ? ` · ${p.failed} unusable` : ''}
            {p.unchanged ? ` · ${p.unchanged} unchanged` : ''}
            {p.ratePerSec > 0 ? ` · ${p.ratePerSec.toFixed(0)} files/s` : ''}
            {p.etaSec !== null && p.probed > 0 ? ` · about ${formatDuration(p.etaSec)} left` : ''}
          </span>
        </span>
        <button className="button secondary small" onClick={() => void cancel()} data-testid="import-cancel">
          Cancel import
        </button>
      </div>
      <div className={`bar${fraction === null ? ' indeterminate' : ''}`}>
        <div style={{ width: fraction === null ? undefined : `${Math.round(fraction * 100)}%` }} />
      </div>
      {p.currentFile && <div className="muted small ellipsis mono">{p.currentFile}</div>}
    </div>
  );
}
