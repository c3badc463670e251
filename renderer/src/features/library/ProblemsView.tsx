import { useState } from 'react';
import type { ImportFailure } from '../../../../shared/dto/library';
import { call } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';
import { usePlaces } from './places';
import { useLibrary } from './store';

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;
const folderOf = (path: string) => path.slice(0, path.length - fileName(path).length).replace(/[\\/]$/, '');

/** Forgets the failures (the files stay on disk), then reloads the list. */
async function dismiss(paths: string[]): Promise<void> {
  try {
    await call('library.dismissFailures', { paths });
  } finally {
    await usePlaces.getState().loadFailures();
  }
}

/**
 * Tries the files again: their old failure is forgotten first, so the import reads each file anew (a file fixed
 * or replaced since is imported; one still broken comes back with its reason as it is now).
 */
async function retry(paths: string[]): Promise<void> {
  try {
    await call('library.dismissFailures', { paths });
    const summary = await useLibrary.getState().importPaths(paths);
    if (summary && summary.failed.length === 0) useToasts.getState().push({ level: 'success', message: paths.length === 1 ? `${fileName(paths[0]!)} was imported.` : `${paths.length} files were imported.` });
  } finally {
    await usePlaces.getState().loadFailures();
  }
}

function ProblemRow({ f, busy, run }: { f: ImportFailure; busy: boolean; run(fn: () => Promise<void>): void }) {
  return (
    <tr data-testid="problem-row" data-path={f.path}>
      <td>
        <div className="lib-problem-file">{fileName(f.path)}</div>
        <div className="muted small mono ellipsis" title={f.path}>
          {folderOf(f.path)}
        </div>
      </td>
      <td data-testid="problem-reason">{f.reason}</td>
      <td className="muted small nowrap">{new Date(f.at).toLocaleString()}</td>
      <td className="nowrap">
        <button className="button secondary small" disabled={busy} onClick={() => run(() => retry([f.path]))} aria-label={`Try ${fileName(f.path)} again`} data-testid="problem-retry">
          Try again
        </button>{' '}
        <button className="button ghost small" disabled={busy} onClick={() => run(() => dismiss([f.path]))} aria-label={`Dismiss ${fileName(f.path)}`} data-testid="problem-dismiss">
          Dismiss
        </button>
      </td>
    </tr>
  );
}

/** Files the imports could not use, each with what went wrong and what to do; try again or dismiss. */
export function ProblemsView() {
  const failures = usePlaces((s) => s.failures);
  const [busy, setBusy] = useState(false);
  const run = (fn: () => Promise<void>) => {
    setBusy(true);
    void fn()
      .catch(() => undefined)
      .finally(() => setBusy(false));
  };
  if (!failures.length) {
    return (
      <div className="empty-state" data-testid="problems-empty">
        <div className="empty-icon">✓</div>
        <h2>No problems</h2>
        <p>Every file the imports found could be read. A file that cannot be used is listed here with the reason.</p>
      </div>
    );
  }
  const all = failures.map((f) => f.path);
  return (
    <section className="lib-problems" data-testid="problems" aria-labelledby="lib-problems-title">
      <div className="row spread">
        <div>
          <h2 id="lib-problems-title">Files that could not be imported</h2>
          <p className="muted small">The files are left as they are. Fix or replace a file, then try it again; dismiss what you do not want in the library.</p>
        </div>
        <span className="nowrap">
          <button className="button secondary small" disabled={busy} onClick={() => run(() => retry(all))} data-testid="problems-retry-all">
            Try all again
          </button>{' '}
          <button className="button ghost small" disabled={busy} onClick={() => run(() => dismiss(all))} data-testid="problems-dismiss-all">
            Dismiss all
          </button>
        </span>
      </div>
      <table className="lib-problem-table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Problem</th>
            <th scope="col">When</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {failures.map((f) => (
            <ProblemRow key={f.path} f={f} busy={busy} run={run} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
