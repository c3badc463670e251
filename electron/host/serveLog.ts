import { fstatSync } from 'node:fs';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Job } from '../../shared/dto/jobs';
import { ChurchError } from '../../shared/errors';
import { redact } from '../platform/audit';
import type { EventHub } from './EventHub';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** syslog priorities, which journald reads from a `<N>` prefix (sd-daemon(3)). */
const SYSLOG_PRIORITY: Record<LogLevel, number> = { error: 3, warn: 4, info: 6, debug: 7 };

export function parseLogLevel(raw: unknown): LogLevel {
  if (raw === undefined) return 'info';
  if (typeof raw === 'string' && (LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  throw new ChurchError('INVALID_INPUT', `--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${String(raw)}`);
}

/**
 * True when standard error is journald's stream (systemd sets JOURNAL_STREAM to its `device:inode`), so lines carry
 * `<N>` priority prefixes there and a timestamp everywhere else (systemd.exec(5), "JOURNAL_STREAM").
 */
export function stderrIsJournal(env: NodeJS.ProcessEnv, fd = 2): boolean {
  const stream = env.JOURNAL_STREAM;
  if (!stream) return false;
  try {
    const st = fstatSync(fd);
    return stream === `${st.dev}:${st.ino}`;
  } catch {
    return false;
  }
}

/** Page tokens (`?token=…`) and whatever the audit log redacts never reach a log line. */
export function scrubLine(text: string): string {
  const redacted = redact(text);
  const line = typeof redacted === 'string' ? redacted : String(redacted);
  return line.replace(/([?&](?:token|key|secret)=)[^&\s#]+/gi, '$1***').replace(/[\r\n]+/g, ' ');
}

export interface LineLog {
  readonly level: LogLevel;
  log(level: LogLevel, message: string): void;
}

/**
 * One line per event on `write` (standard error), at `level` and above: `TIME LEVEL text`, or with `json` one
 * object a line (`{"at","level","msg"}`) for a log shipper; under journald the time is left to it.
 */
export function createLineLog(opts: { level: LogLevel; write: (line: string) => void; journal: boolean; json?: boolean; now?: () => Date }): LineLog {
  const max = LOG_LEVELS.indexOf(opts.level);
  const now = opts.now ?? (() => new Date());
  return {
    level: opts.level,
    log(level, message) {
      if (LOG_LEVELS.indexOf(level) > max) return;
      const text = scrubLine(message);
      const prefix = opts.journal ? `<${SYSLOG_PRIORITY[level]}>` : '';
      if (opts.json) return opts.write(`${prefix}${JSON.stringify({ at: now().toISOString(), level, msg: text })}\n`);
      // journald stamps each line itself; a terminal or a file gets the time and the level written out.
      opts.write(opts.journal ? `${prefix}${text}\n` : `${now().toISOString()} ${level.padEnd(5)} ${text}\n`);
    },
  };
}

function seconds(job: Job): string {
  if (!job.startedAt || !job.finishedAt) return '';
  return ` in ${((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`;
}

/** A job's line when its status changed: queued, started, done, failed, cancelled, interrupted. */
function jobLine(job: Job): [LogLevel, string] | null {
  const what = `job ${job.id} (${job.preset}${job.videoId !== null ? `, video ${job.videoId}` : ''})`;
  switch (job.status) {
    case 'queued':
      return ['info', `${what} queued`];
    case 'running':
      return ['debug', `${what} started`];
    case 'paused':
      return ['debug', `${what} paused`];
    case 'done':
      return ['info', `${what} done${seconds(job)}: ${job.outputPath}`];
    case 'failed':
      return ['warn', `${what} failed: ${job.error ?? `exit code ${job.exitCode ?? '?'}`}`];
    case 'cancelled':
    case 'interrupted':
      return ['info', `${what} ${job.status}${job.error ? `: ${job.error}` : ''}`];
  }
}

type Line = [LogLevel, string] | null;

/**
 * Turns the studio's events into log lines: job state changes (once per change, not per progress tick), alerts,
 * backups, Stripe syncs, notices and the recovery screen. Returns the unsubscribe.
 */
export function logStudioEvents(events: Pick<EventHub, 'subscribe'>, log: LineLog): () => void {
  const jobStatus = new Map<number, string>();
  let lastBackupAt: string | null = null;
  let backupPhase = 'idle';
  const startedAt = Date.now() - 1000;
  const lineFor = <E extends EventName>(name: E, payload: EventPayload<E>): Line => {
    switch (name) {
      case 'jobs.changed': {
        const job = payload as Job;
        if (jobStatus.get(job.id) === job.status) return null;
        jobStatus.set(job.id, job.status);
        return jobLine(job);
      }
      case 'monitor.alert': {
        const a = payload as EventPayload<'monitor.alert'>;
        const level: LogLevel = a.kind === 'fired' || a.kind === 'escalated' ? (a.level === 'critical' ? 'error' : 'warn') : 'info';
        return [level, `alert ${a.kind}${a.level !== 'info' ? ` (${a.level})` : ''}: ${a.title}${a.body ? ` — ${a.body}` : ''}`];
      }
      case 'backup.progress': {
        const b = payload as EventPayload<'backup.progress'>;
        const phaseLine: Line = b.phase !== backupPhase && b.phase !== 'idle' ? ['debug', `backup: ${b.phase}`] : null;
        backupPhase = b.phase;
        const run = b.lastRun;
        // The status repeats the last run until the next one: each run is said once, and none from before this start.
        if (!run || run.at === lastBackupAt || Date.parse(run.at) < startedAt) return phaseLine;
        lastBackupAt = run.at;
        return run.ok
          ? ['info', `backup done in ${(run.durationMs / 1000).toFixed(1)} s: snapshot ${run.snapshot?.id ?? '?'}${run.restic ? `, restic ${run.restic.snapshotId}` : ''}`]
          : ['warn', `backup failed: ${run.error ?? 'no reason given'}`];
      }
      case 'stripe.synced': {
        const r = payload as EventPayload<'stripe.synced'>;
        return [r.ok ? 'info' : 'warn', `stripe ${r.kind} sync ${r.outcome}${r.message ? `: ${r.message}` : ''}`];
      }
      case 'system.notice': {
        const n = payload as EventPayload<'system.notice'>;
        return [n.level === 'warning' ? 'warn' : n.level, n.message];
      }
      case 'recovery.progress': {
        const r = payload as EventPayload<'recovery.progress'>;
        if (r.state === 'ready') return ['info', 'recovery: the studio is running again'];
        const why = r.error ?? r.step ?? r.failure?.message ?? '';
        return ['warn', `recovery: ${r.state}${why ? ` — ${why}` : ''}`];
      }
      default:
        return null;
    }
  };
  return events.subscribe((name, payload) => {
    const line = lineFor(name, payload as never);
    if (line) log.log(line[0], line[1]);
  });
}
