import type { KillRun, StepReport } from '../../../../shared/dto/killswitch';

const STATUS_TEXT: Record<StepReport['status'], string> = {
  pending: 'waiting',
  running: 'running…',
  ok: 'done',
  failed: 'failed',
  timeout: 'timed out',
  skipped: 'skipped',
  'dry-run': 'rehearsed',
};

export function argvText(argv: string[]): string {
  return argv.map((a) => (/^[\w./:=@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export function RunReport({ run }: { run: KillRun }) {
  return (
    <div className="kill-report" data-testid="kill-report">
      <div className="kill-report-head">
        <strong>{run.dryRun ? 'Rehearsal (dry run) — nothing was executed' : 'Kill switch run'}</strong>
        <span className="muted">
          #{run.id} · {new Date(run.startedAt).toLocaleString()} · from {run.trigger} ·{' '}
          <span data-testid="kill-run-status">{run.status}</span>
        </span>
      </div>
      {run.warning && (
        <div className="banner banner-bad" data-testid="kill-run-warning">
          {run.warning}
        </div>
      )}
      <ol className="kill-steps">
        {run.steps.map((s) => (
          <li key={s.index} className={`kill-step kill-step-${s.status}`} data-testid="kill-step">
            <div className="kill-step-head">
              <span>{s.label}</span>
              <span className={`badge kill-status-${s.status}`}>{STATUS_TEXT[s.status]}</span>
              {s.durationMs > 0 && <span className="muted">{s.durationMs} ms</span>}
            </div>
            {s.action && <div className="muted">{s.action}</div>}
            {(s.ran.length ? s.ran : s.commands.map((c) => ({ argv: c.argv, exitCode: undefined, outputTail: '' }))).map((c, i) => (
              <div key={i} className="kill-command mono">
                $ {argvText(c.argv)}
                {c.exitCode !== undefined && <span className="muted"> → exit {c.exitCode ?? '—'}</span>}
                {c.outputTail && <pre className="kill-output">{c.outputTail}</pre>}
              </div>
            ))}
            {s.targets && s.targets.length > 0 ? (
              <>
                <div data-testid="kill-step-note">{s.note?.replace(/:.*$/, ':')}</div>
                <ul className="kill-targets" data-testid="kill-targets">
                  {s.targets.map((t) => (
                    <li key={t}>{t}</li>
                  ))}
                </ul>
              </>
            ) : (
              s.note && (
                <div className="muted" data-testid="kill-step-note">
                  {s.note}
                </div>
              )
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
