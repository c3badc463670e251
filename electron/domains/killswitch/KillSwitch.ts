import { existsSync, rmSync } from 'node:fs';
import type { KillPlan, KillPlanInfo, KillRun, KillTrigger } from '../../../shared/dto/killswitch';
import { ChurchError } from '../../../shared/errors';
import type { AuditLog } from '../../platform/audit';
import { migrate, type Db, type Migration } from '../../platform/db';
import { writeFileAtomic } from '../../platform/fs';
import { defaultPlan } from './defaultPlan';
import { executePlan, type ExecuteDeps } from './executePlan';
import { planStep, type Platform } from './planCommands';
import { hostPlatform, loadPlan, parsePlan, planFilePath } from './planFile';
import { acceptedCommands, acceptPlanCommands, pendingCommandSteps, planCommandsFingerprint, recordAcceptedBaseline } from './planTrust';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'kill switch runs',
    up: (db) =>
      db.exec(`CREATE TABLE kill_runs (
        id INTEGER PRIMARY KEY,
        trigger TEXT NOT NULL,
        dry_run INTEGER NOT NULL,
        reason TEXT,
        platform TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        steps TEXT NOT NULL,
        acknowledged INTEGER NOT NULL DEFAULT 0
      )`),
  },
  { version: 2, name: 'run warnings', up: (db) => db.exec('ALTER TABLE kill_runs ADD COLUMN warning TEXT') },
];

export interface KillSwitchDeps {
  db: Db;
  /** Only the primary process may decide that a 'running' run was cut off by a crash. */
  recoverInterrupted?: boolean;
  audit: AuditLog;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  platform?: Platform;
  stopJobs(): Promise<{ stopped: number }>;
  /** What stopping the jobs would stop, named for a rehearsal (running job #4, its ffmpeg PID). */
  jobTargets?(): string[];
  /** The lab's "stop the lab" step; absent without a lab. */
  stopLab?: ExecuteDeps['stopLab'];
  sendAlert(message: string, run: KillRun): Promise<string>;
  onUpdate(run: KillRun): void;
}

export interface TriggerOptions {
  dryRun: boolean;
  trigger: KillTrigger;
  reason?: string;
  /** A plan for this run only (church kill --plan FILE); the saved plan is not changed. */
  plan?: KillPlan;
  /**
   * The owner's own hand brought `plan` for this run (the CLI's `--plan FILE`): its commands run without being
   * accepted first. Every other plan's commands run only when accepted (planTrust).
   */
  planFromOwner?: boolean;
}

type RunRow = {
  id: number;
  trigger: KillTrigger;
  dry_run: number;
  reason: string | null;
  platform: string;
  started_at: string;
  finished_at: string | null;
  status: KillRun['status'];
  steps: string;
  acknowledged: number;
  warning: string | null;
};

function toRun(r: RunRow): KillRun {
  return {
    id: r.id,
    trigger: r.trigger,
    dryRun: r.dry_run === 1,
    reason: r.reason,
    platform: r.platform,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    steps: JSON.parse(r.steps) as KillRun['steps'],
    acknowledged: r.acknowledged === 1,
    ...(r.warning ? { warning: r.warning } : {}),
  };
}

/**
 * The report's actor in the audit log is the credential's, as the dispatcher records the trigger request: the
 * tray and the shortcut are the window's (`ui`), a monitor rule is the studio's own (`system`).
 */
function reportActor(trigger: KillTrigger): string {
  if (trigger === 'tray' || trigger === 'shortcut') return 'ui';
  if (trigger === 'monitor') return 'system';
  return trigger;
}

/**
 * The emergency stop. Lives in the main process and owns no UI: the window, tray, global shortcut, CLI and
 * monitor rules all call `trigger`. One live run at a time; a trigger during a live run joins it.
 */
export class KillSwitch {
  readonly planFile: string;
  private readonly platform: Platform;
  private current: { run: KillRun; done: Promise<KillRun> } | null = null;

  constructor(private readonly deps: KillSwitchDeps) {
    migrate(deps.db, 'killswitch', migrations);
    this.planFile = planFilePath(deps.dataDir);
    this.platform = deps.platform ?? hostPlatform();
    recordAcceptedBaseline(deps.dataDir);
    // A run interrupted by a crash (or by its own power-off) must not look as if it were still going.
    if (deps.recoverInterrupted !== false) {
      deps.db
        .prepare("UPDATE kill_runs SET status = 'completed-with-failures', finished_at = coalesce(finished_at, ?) WHERE status = 'running'")
        .run(new Date().toISOString());
    }
  }

  /** The saved plan (a JSON file the owner may edit by hand), or the platform default. */
  loadPlan(): { plan: KillPlan; source: KillPlanInfo['source'] } {
    return loadPlan(this.deps.dataDir, { lab: Boolean(this.deps.stopLab) });
  }

  /** The plan file as the owner wrote it, or null when there is none or it does not parse. */
  planOnDisk(): KillPlan | null {
    try {
      return existsSync(this.planFile) ? this.loadPlan().plan : null;
    } catch {
      return null;
    }
  }

  planInfo(plan?: KillPlan): KillPlanInfo {
    const loaded = plan ? { plan, source: 'settings' as const } : this.loadPlan();
    const held = pendingCommandSteps(loaded.plan, acceptedCommands(this.deps.dataDir));
    return {
      ...loaded,
      platform: this.platform,
      steps: loaded.plan.steps.map((s, i) => ({ ...planStep(s, i, this.platform), ...(held.has(i) ? { pendingAcceptance: true as const } : {}) })),
      pendingCommands: held.size,
      commandsFingerprint: planCommandsFingerprint(loaded.plan),
    };
  }

  /**
   * The owner accepts the saved plan's commands as they are now (the hold gesture in the window, or
   * `church kill --accept-plan`). `fingerprint` is what they were shown: a plan that changed since is refused.
   */
  acceptPlan(fingerprint: string): KillPlanInfo {
    const { plan } = this.loadPlan();
    if (planCommandsFingerprint(plan) !== fingerprint) {
      throw new ChurchError('CONFLICT', 'the kill-switch plan changed since it was shown; look at it again and accept what it holds now');
    }
    acceptPlanCommands(this.deps.dataDir, plan);
    return this.planInfo();
  }

  setPlan(plan: KillPlan | null): KillPlanInfo {
    if (plan === null) rmSync(this.planFile, { force: true });
    else writeFileAtomic(this.planFile, JSON.stringify(parsePlan(plan, 'the new plan'), null, 2) + '\n');
    return this.planInfo();
  }

  isRunning(): boolean {
    return this.current !== null && !this.current.run.dryRun;
  }

  async trigger(opts: TriggerOptions): Promise<KillRun> {
    if (this.current) {
      if (!this.current.run.dryRun) return this.current.done;
      // A rehearsal is over in milliseconds; a real trigger waits for it rather than being swallowed by it.
      await this.current.done;
      if (this.current) return this.trigger(opts);
    }
    let plan: KillPlan;
    let warning: string | undefined;
    if (opts.plan) plan = parsePlan(opts.plan, 'the given plan');
    else {
      try {
        plan = this.loadPlan().plan;
      } catch (e) {
        // A rehearsal reports the broken plan; a real emergency must still stop the lab, so it runs the default.
        if (opts.dryRun) throw e;
        plan = defaultPlan({ lab: Boolean(this.deps.stopLab) });
        warning = `${(e as Error).message} — the ${this.platform} default plan ran instead`;
      }
    }
    const held = opts.plan && opts.planFromOwner ? new Set<number>() : pendingCommandSteps(plan, acceptedCommands(this.deps.dataDir));
    if (held.size > 0) {
      warning = [warning, `${held.size} command step(s) of the plan wait for your acceptance and did not run; see the steps marked pending`].filter(Boolean).join('; ');
    }
    const startedAt = new Date().toISOString();
    let id: number;
    try {
      id = Number(
        this.deps.db
          .prepare("INSERT INTO kill_runs (trigger, dry_run, reason, platform, started_at, status, steps, warning) VALUES (?, ?, ?, ?, ?, 'running', '[]', ?)")
          .run(opts.trigger, opts.dryRun ? 1 : 0, opts.reason ?? null, this.platform, startedAt, warning ?? null).lastInsertRowid,
      );
    } catch (e) {
      // A full or broken disk must not stop the emergency stop: the run goes on unrecorded (negative id).
      id = -Date.now();
      warning = [warning, `the run could not be recorded (${(e as Error).message})`].filter(Boolean).join('; ');
    }
    const run: KillRun = { id, trigger: opts.trigger, dryRun: opts.dryRun, reason: opts.reason ?? null, platform: this.platform, startedAt, finishedAt: null, status: 'running', steps: [], acknowledged: opts.dryRun, ...(warning ? { warning } : {}) };
    const save = this.deps.db.prepare('UPDATE kill_runs SET status = ?, finished_at = ?, steps = ?, acknowledged = ? WHERE id = ?');
    const persist = (r: KillRun) => {
      if (r.id < 0) return;
      try {
        save.run(r.status, r.finishedAt, JSON.stringify(r.steps), r.acknowledged ? 1 : 0, r.id);
      } catch {
        // A full disk must not stop the emergency stop.
      }
    };
    const done = executePlan(plan, run, {
      pendingSteps: held,
      platform: this.platform,
      env: this.deps.env,
      stopJobs: this.deps.stopJobs,
      ...(this.deps.jobTargets ? { jobTargets: this.deps.jobTargets } : {}),
      ...(this.deps.stopLab ? { stopLab: this.deps.stopLab } : {}),
      sendAlert: this.deps.sendAlert,
      onUpdate: (r) => {
        persist(r);
        this.deps.onUpdate(structuredClone(r));
      },
      beforePowerOff: (r) => {
        persist(r);
        this.auditRun(r, 'killswitch.report (before power-off)');
        try {
          // Checkpoint so the report is in the main database file, not only in the WAL, when power goes.
          this.deps.db.pragma('wal_checkpoint(FULL)');
        } catch {
          // Power-off goes ahead regardless.
        }
      },
    }).then((r) => {
      this.auditRun(r, 'killswitch.report');
      return r;
    });
    this.current = { run, done };
    try {
      return structuredClone(await done);
    } finally {
      this.current = null;
    }
  }

  lastRun(): KillRun | null {
    const row = this.deps.db.prepare('SELECT * FROM kill_runs ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  acknowledge(id: number): void {
    const r = this.deps.db.prepare('UPDATE kill_runs SET acknowledged = 1 WHERE id = ?').run(id);
    if (r.changes === 0) throw new ChurchError('NOT_FOUND', `no kill-switch run with id ${id}`);
  }

  private auditRun(run: KillRun, action: string): void {
    try {
      this.deps.audit.write({
        actor: reportActor(run.trigger),
        action,
        input: {
          runId: run.id,
          dryRun: run.dryRun,
          reason: run.reason,
          warning: run.warning ?? null,
          steps: run.steps.map((s) => ({ label: s.label, status: s.status, note: s.note, commands: s.ran.map((c) => ({ argv: c.argv, exit: c.exitCode, ms: c.durationMs })) })),
        },
        ok: run.status !== 'completed-with-failures',
        errorCode: run.status === 'completed-with-failures' ? 'EXTERNAL' : null,
        durationMs: run.steps.reduce((t, s) => t + s.durationMs, 0),
      });
    } catch {
      // Never let bookkeeping block the stop.
    }
  }
}
