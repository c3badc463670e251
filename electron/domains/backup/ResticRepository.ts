import type { ResticSnapshot } from '../../../shared/dto/backup';
import { ChurchError } from '../../../shared/errors';
import { runProcess, type RunResult } from '../../platform/process';
import { redactRepository } from './resticSecret';
import {
  buildBackupArgs,
  buildCheckArgs,
  buildForgetArgs,
  buildInitArgs,
  buildRestoreArgs,
  buildSnapshotsArgs,
  classifyResticError,
  LOCAL_TAG_PREFIX,
  resticEnv,
  type ResticEnvironment,
  type ResticPasswordSource,
} from './resticArgs';

export interface ResticOptions {
  repository: string;
  /** The password, or the file restic reads it from or the command it runs for it (RESTIC_PASSWORD_FILE / _COMMAND). */
  password: ResticPasswordSource;
  /** The restic binary: RESTIC_PATH, else `restic` on PATH. */
  bin?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const MINUTE = 60_000;

/** restic's last word (its Fatal line), with any password in a repository URL it quotes redacted. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return redactRepository((lines.find((l) => l.startsWith('Fatal:')) ?? lines[lines.length - 1] ?? '').replace(/^Fatal:\s*/, ''));
}

/** The off-machine copy: restic as a child process, password in its environment only (never argv, never a log). */
export class ResticRepository {
  private readonly bin: string;
  private readonly env: ResticEnvironment;
  /** The repository as errors name it: without the password its URL may carry. */
  private readonly where: string;
  /** The repository as given, for telling repositories apart (never shown: it may carry a password). */
  readonly location: string;
  constructor(private readonly opts: ResticOptions) {
    this.location = opts.repository;
    const base = opts.env ?? process.env;
    this.bin = opts.bin ?? base.RESTIC_PATH ?? 'restic';
    this.env = resticEnv(base, opts.repository, opts.password);
    this.where = redactRepository(opts.repository);
  }

  private async run(args: string[], timeoutMs: number, extra: { cwd?: string; onStdout?: (b: Buffer) => void } = {}): Promise<RunResult> {
    // The password and the cloud credentials go through runProcess's secretEnv: added after secrets are filtered out.
    const r = await runProcess(this.bin, args, { env: this.env.env, secretEnv: this.env.secretEnv, timeoutMs, cwd: extra.cwd, onStdout: extra.onStdout, signal: this.opts.signal, maxOutputBytes: 4 * 1024 * 1024 });
    if (r.spawnError) {
      throw new ChurchError('UNAVAILABLE', `restic could not be started (${r.spawnError}); install restic (Debian/Ubuntu: apt install restic) or set RESTIC_PATH`);
    }
    if (r.aborted) throw new ChurchError('CANCELLED', `restic ${args[0]} was cancelled`);
    if (r.timedOut) throw new ChurchError('TIMEOUT', `restic ${args[0]} gave no result in ${Math.round(timeoutMs / MINUTE)} min and was stopped; check that the repository ${this.where} is reachable`);
    if (r.code !== 0) {
      const where = this.where;
      switch (classifyResticError(r.stderr)) {
        case 'wrong-password':
          throw new ChurchError('FORBIDDEN', `the restic password does not open the repository ${where}; enter the right one in Settings → Backups → Restic password (nothing was changed)`, { restic: 'wrong-password' });
        case 'no-repository':
          throw new ChurchError('NOT_FOUND', `there is no restic repository at ${where}; check Settings → Backups → Repository`, { restic: 'no-repository' });
        case 'locked':
          throw new ChurchError('CONFLICT', `the restic repository ${where} is locked by another restic run; try again when it ends (or run "restic unlock" if none is running)`, { restic: 'locked' });
        default:
          throw new ChurchError('EXTERNAL', `restic ${args[0]} failed: ${lastLine(r.stderr) || `exit ${r.code}`}`);
      }
    }
    return r;
  }

  /** Creates the repository when there is none; a wrong password for an existing one stays an error. */
  async ensureInitialized(): Promise<boolean> {
    try {
      await this.snapshots();
      return false;
    } catch (e) {
      if (!(e instanceof ChurchError && e.code === 'NOT_FOUND')) throw e;
    }
    await this.run(buildInitArgs(), 5 * MINUTE);
    return true;
  }

  async snapshots(): Promise<ResticSnapshot[]> {
    const r = await this.run(buildSnapshotsArgs(), 5 * MINUTE);
    const raw = JSON.parse(r.stdout || '[]') as { id: string; short_id: string; time: string; tags?: string[] }[];
    return raw
      .map((s) => ({
        id: s.id,
        shortId: s.short_id,
        time: s.time,
        localId: s.tags?.find((t) => t.startsWith(LOCAL_TAG_PREFIX))?.slice(LOCAL_TAG_PREFIX.length) ?? null,
      }))
      .sort((a, b) => (a.time < b.time ? 1 : -1));
  }

  /** Backs up one local snapshot folder; reports restic's fraction done and returns the bytes it added. */
  async backup(folder: string, localId: string, takenAt?: Date, onProgress?: (fraction: number) => void): Promise<{ snapshotId: string; dataAdded: number }> {
    let pending = '';
    const r = await this.run(buildBackupArgs(localId, takenAt), 6 * 60 * MINUTE, {
      cwd: folder,
      onStdout: (b) => {
        pending += b.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          try {
            const m = JSON.parse(line) as { message_type?: string; percent_done?: number };
            if (m.message_type === 'status' && typeof m.percent_done === 'number') onProgress?.(m.percent_done);
          } catch {
            // not a JSON line
          }
        }
      },
    });
    const summary = r.stdout
      .split('\n')
      .map((l) => {
        try {
          return JSON.parse(l) as { message_type?: string; snapshot_id?: string; data_added?: number };
        } catch {
          return null;
        }
      })
      .find((m) => m?.message_type === 'summary');
    if (!summary?.snapshot_id) throw new ChurchError('EXTERNAL', 'restic backup ended without reporting a snapshot; run "church backups" to see what the repository holds');
    return { snapshotId: summary.snapshot_id, dataAdded: summary.data_added ?? 0 };
  }

  /** Applies the retention policy; returns how many snapshots were removed (0 when no policy is set). */
  async forget(policy: { keepDaily: number; keepWeekly: number; keepMonthly: number }): Promise<number> {
    const args = buildForgetArgs(policy);
    if (!args) return 0;
    const r = await this.run(args, 6 * 60 * MINUTE);
    // The JSON report is the first line; prune's own messages follow it.
    const first = r.stdout.split('\n').find((l) => l.trim().startsWith('['));
    if (!first) return 0;
    const groups = JSON.parse(first) as { remove?: unknown[] | null }[];
    return groups.reduce((n, g) => n + (g.remove?.length ?? 0), 0);
  }

  async check(): Promise<string> {
    const r = await this.run(buildCheckArgs(), 6 * 60 * MINUTE);
    return lastLine(r.stdout) || 'no errors were found';
  }

  async restore(snapshotId: string, target: string): Promise<void> {
    await this.run(buildRestoreArgs(snapshotId, target), 6 * 60 * MINUTE);
  }
}
