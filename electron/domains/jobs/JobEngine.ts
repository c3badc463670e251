import { cpus } from 'node:os';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, JobEngineSettings, JobList, JobProgress, JobStatus, JobWaiting, NoSpaceMode, PresetList, QueueState, RecoveryMode } from '../../../shared/dto/jobs';
import type { SpaceDecision } from './diskGuard';
import { diskOf } from './diskSpace';
import { ChurchError } from '../../../shared/errors';
import { loadPresets } from '../../platform/media/presets';
import type { EnqueueRequest, JobEngineOptions } from './engineOptions';
import { readEngineSettings, writeEngineSettings } from './engineSettings';
import type { ExecutorSlot, JobExecutor, RemoteExecutor, RunPort } from './executor';
import { chunkedExecutor } from './executors/chunkedExecutor';
import { localExecutor } from './executors/localExecutor';
import { recordProgress } from './jobEvents';
import { createOverlayResolver, loadSources } from './jobSources';
import { JobStore, publicJob, type StoredJob } from './JobStore';
import type { OverlayResolver, SourceMedia } from './planJob';
import type { ProgressSnapshot } from './progressParser';
import { recoverJobs } from './recoverJobs';
import { holdRun, ownRun } from './runHold';
import { executeJob, type JobRunSteps } from './runJob';
import { CLOSED_REASON, newActiveRun, nowIso, type ActiveRun } from './runState';
import { UnitSlots } from './unitSlots';
import { planEnqueue } from './validateEnqueue';

export type { CueOverlayRenderer, EnqueueRequest, JobEngineOptions, JobLibrary } from './engineOptions';
export { defaultConcurrency } from './engineSettings';
export { CLOSED_REASON } from './runState';

/**
 * The job queue: jobs persist in SQLite, run as ffmpeg processes (argument arrays) up to a concurrency limit in
 * priority order, report live progress, write to a temp name and rename only a validated output, register it in
 * the library, and recover from a crash at the next start. Only the primary process calls start().
 * This class schedules and controls; running one job lives in runJob (with its executors), recovery in recoverJobs.
 */
export class JobEngine implements ExecutorSlot {
  readonly store: JobStore;
  readonly userPresetDir: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly active = new Map<number, ActiveRun>();
  private started = false;
  private closing = false;
  private paused = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly cores: number;
  /** The executor registered by a plug-in (the lab): jobs it accepts run there. */
  private remote: RemoteExecutor | null;
  private readonly chunked: JobExecutor;
  private readonly local: JobExecutor = localExecutor();
  /** Queued jobs whose disk was too full at their last try, and when to look again. */
  private readonly waiting = new Map<number, JobWaiting>();
  /** Slots held by extra units of running jobs (chunks), on top of one per active job. */
  private readonly unitSlots = new UnitSlots(() => this.pump());

  constructor(readonly opts: JobEngineOptions) {
    this.store = new JobStore(opts.db);
    this.env = opts.env ?? process.env;
    this.userPresetDir = join(opts.dataDir, 'presets');
    this.cores = opts.cpuCount ?? cpus().length;
    this.remote = opts.remote ?? null;
    this.chunked = chunkedExecutor({ runUnit: opts.runChunkUnit, remoteUnits: (kind, local) => this.remote?.unitRunner?.(kind, local) ?? null });
  }

  /** Hands the jobs it accepts to a plug-in's executor from now on (the lab connects after the engine is built). */
  registerExecutor(executor: RemoteExecutor | null): void {
    this.remote = executor;
    this.pump();
  }

  // ---- settings and presets ----

  getSettings(): JobEngineSettings {
    return readEngineSettings(this.opts.settings, this.cores);
  }

  setSettings(patch: { concurrency?: number; recovery?: RecoveryMode; noSpace?: NoSpaceMode }): JobEngineSettings {
    writeEngineSettings(this.opts.settings, patch);
    this.emitQueue();
    this.pump();
    return this.getSettings();
  }

  presets(): PresetList {
    return loadPresets(this.userPresetDir, this.env);
  }

  // ---- reads ----

  queueState(): QueueState {
    return { paused: this.paused, concurrency: this.getSettings().concurrency, running: this.active.size, queued: this.store.count('queued') };
  }

  private withLive(j: StoredJob): Job {
    const pub = publicJob(j);
    const live = this.active.get(j.id)?.progress;
    const run = this.active.get(j.id);
    const shown = { ...(live && (j.status === 'running' || j.status === 'paused') ? { ...pub, progress: live } : pub), ...(run?.held ? { held: true as const } : {}) };
    // A lab run's host travels in its progress (kept with the job when it ends), so reads need no lab.
    return shown.progress?.host ? { ...shown, host: shown.progress.host } : shown;
  }

  list(opts: { status?: JobStatus; limit?: number } = {}): JobList {
    return { jobs: this.store.list(opts).map((j) => this.withLive(j)), queue: this.queueState() };
  }

  get(id: number): Job {
    return this.withLive(this.store.require(id));
  }

  // ---- what running a job uses (passed as its steps and port) ----

  private loadSources(ids: number[]): Promise<SourceMedia[]> {
    return loadSources(this.opts.library, ids, this.env);
  }

  private overlays(render = true): OverlayResolver {
    return createOverlayResolver(this.env, this.opts.avatar ?? null, render);
  }

  private progress(run: ActiveRun, s: ProgressSnapshot, host?: string): void {
    const due = recordProgress(run, s, this.opts.progressIntervalMs ?? 250, host);
    if (due) this.opts.emit('jobs.progress', due);
  }

  private noSpaceMode(): NoSpaceMode {
    return this.getSettings().noSpace;
  }

  /** Holds a queued job for disk space: kept on its row too, so every process reading the queue sees why. */
  private waitForSpace(jobId: number, d: Extract<SpaceDecision, { ok: false }>): void {
    const recheckAt = Date.now() + (this.opts.spaceRecheckMs ?? 30_000);
    const waiting: JobWaiting = { reason: d.message, neededBytes: d.neededBytes, freeBytes: d.freeBytes, path: d.path, disk: diskOf(d.path), recheckAt };
    this.waiting.set(jobId, waiting);
    if (this.store.get(jobId)?.status !== 'queued') return;
    this.store.update(jobId, { waiting });
    this.changed(this.store.require(jobId));
  }

  private publishProgress(run: ActiveRun, p: JobProgress, force = false): void {
    run.progress = p;
    const now = Date.now();
    if (!force && now - run.lastEmit < (this.opts.progressIntervalMs ?? 250)) return;
    run.lastEmit = now;
    this.opts.emit('jobs.progress', p);
  }

  private remoteEncodeDone(run: ActiveRun): void {
    if (run.encodeDone || this.active.get(run.jobId) !== run) return;
    run.encodeDone = true;
    setImmediate(() => this.pump());
  }

  changed(j: StoredJob): void {
    this.opts.emit('jobs.changed', this.withLive(j));
  }

  /** What running one job needs: its preparing and finishing parts, the executors in order, and its port. */
  private stepsFor(job: StoredJob, run: ActiveRun): JobRunSteps {
    return {
      dataDir: this.opts.dataDir,
      prepare: { store: this.store, env: this.env, loadSources: (ids) => this.loadSources(ids), overlays: () => this.overlays(), noSpaceMode: () => this.noSpaceMode() },
      executors: [this.chunked, ...(this.remote ? [this.remote] : []), this.local],
      port: this.portFor(job, run),
      finish: {
        store: this.store,
        db: this.opts.db,
        library: this.opts.library,
        env: this.env,
        emit: (name, payload) => this.opts.emit(name, payload),
        changed: (j) => this.changed(j),
        waitForSpace: (id, d) => this.waitForSpace(id, d),
        requeueWhenClosed: () => this.getSettings().recovery === 'requeue',
        ...(this.opts.logError ? { logError: this.opts.logError } : {}),
      },
    };
  }

  private portFor(job: StoredJob, run: ActiveRun): RunPort {
    return {
      env: this.env,
      stallTimeoutMs: this.opts.stallTimeoutMs ?? 120_000,
      cancelGraceMs: this.opts.cancelGraceMs ?? 2000,
      isPaused: () => this.paused || run.held,
      record: (patch) => this.store.update(job.id, patch),
      showPaused: () => {
        if (this.store.get(job.id)?.status === 'running') this.changed(this.store.transition(job.id, 'paused'));
      },
      progress: (s, host) => this.progress(run, s, host),
      publishProgress: (p, force) => this.publishProgress(run, p, force),
      requestSlot: () => this.unitSlots.request(job.id, job.priority),
      encodeDone: () => this.remoteEncodeDone(run),
    };
  }

  private emitQueue(): void {
    this.opts.emit('jobs.queue', this.queueState());
  }

  // ---- queueing ----

  /** Validates everything that can be known before ffmpeg runs, then queues the job. */
  async enqueue(req: EnqueueRequest, queuedBy: string | null = null): Promise<Job> {
    const planned = await planEnqueue(req, {
      dataDir: this.opts.dataDir,
      presets: () => this.presets(),
      loadSources: (ids) => this.loadSources(ids),
      overlays: this.overlays(false),
    });
    const job = this.store.insert({ ...planned.job, queuedBy });
    // Too little room already: held (and said) from the start; 'fail' lets its first try fail it with the figures.
    if (planned.hold && (job.noSpace ?? this.noSpaceMode()) === 'wait') this.waitForSpace(job.id, planned.hold);
    else this.changed(job);
    this.emitQueue();
    this.pump();
    return this.get(job.id);
  }

  async cancel(id: number): Promise<Job> {
    const job = this.store.require(id);
    const workDir = join(this.opts.dataDir, 'jobs-work', String(id));
    // A failed chunked job keeps its finished chunks for a retry: cancelling it discards them.
    const keptWork = job.status === 'failed' && existsSync(workDir);
    if (job.status === 'queued' || job.status === 'interrupted' || keptWork) {
      // Nothing runs it: discarded here, with what an interrupted or failed run kept for its resume.
      this.waiting.delete(id);
      if (job.status !== 'queued') rmSync(workDir, { recursive: true, force: true });
      const error = job.status === 'queued' ? 'cancelled before it started' : `cancelled after it ${job.status === 'failed' ? 'failed' : 'was interrupted'} (${job.error ?? 'no reason given'})`;
      this.changed(this.store.transition(id, 'cancelled', { finishedAt: nowIso(), error }));
      this.emitQueue();
      return this.get(id);
    }
    const run = this.active.get(id);
    if (!run && (job.status === 'running' || job.status === 'paused')) {
      throw new ChurchError('CONFLICT', `job ${id} is ${job.status} in another process on this data dir (a "church transcode" or the studio); cancel it there, with Ctrl-C, or from the studio`);
    }
    if (!run || (job.status !== 'running' && job.status !== 'paused')) {
      throw new ChurchError('CONFLICT', `job ${id} is ${job.status}; only queued, running, paused or interrupted jobs can be cancelled`);
    }
    this.stopRun(run, 'cancelled by the owner', this.opts.cancelGraceMs ?? 2000);
    return run.finished.then(() => this.get(id));
  }

  retry(id: number): Job {
    const job = this.store.require(id);
    if (job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'interrupted') {
      throw new ChurchError('CONFLICT', `job ${id} is ${job.status}; only failed, cancelled or interrupted jobs can be retried`);
    }
    const j = this.store.transition(id, 'queued', { error: null, exitCode: null, finishedAt: null, startedAt: null, progress: null, pid: null });
    this.changed(j);
    this.pump();
    return this.get(id);
  }

  /** Moves a queued job before another (null: last); queued jobs start in the order this leaves (JobStore.move). */
  move(id: number, before: number | null): Job[] {
    const moved = this.store.move(id, before);
    for (const j of moved) this.changed(j);
    return moved.map((j) => this.withLive(j));
  }

  /** Removes finished jobs from the list (their outputs stay in the library), with what a failed chunked run kept. */
  clearFinished(): { cleared: number[] } {
    const cleared = this.store.clearFinished();
    for (const id of cleared) rmSync(join(this.opts.dataDir, 'jobs-work', String(id)), { recursive: true, force: true });
    this.emitQueue();
    return { cleared };
  }

  /** Suspends one running job in place (its slot stays taken, as HandBrake's pause does); the queue goes on. */
  pauseJob(id: number): Job {
    const run = ownRun(this.active, this.store, id, 'paused');
    run.held = true;
    if (!holdRun(run, true, this.store, (j) => this.changed(j))) this.changed(this.store.require(id));
    return this.get(id);
  }

  /** Continues one job the owner paused; it stays suspended while the whole queue is paused. */
  resumeJob(id: number): Job {
    const run = ownRun(this.active, this.store, id, 'resumed');
    run.held = false;
    if (this.paused || !holdRun(run, false, this.store, (j) => this.changed(j))) this.changed(this.store.require(id));
    return this.get(id);
  }

  /** Pauses the queue: no job starts, and running encodes are suspended in place (SIGSTOP) until resume. */
  pause(): QueueState {
    this.paused = true;
    this.holdRuns(true);
    this.emitQueue();
    return this.queueState();
  }

  resume(): QueueState {
    this.paused = false;
    this.holdRuns(false);
    this.emitQueue();
    this.pump();
    return this.queueState();
  }

  /** Suspends (or continues) every active run and shows its job paused (or running) once its process obeyed. */
  private holdRuns(hold: boolean): void {
    for (const run of this.active.values()) {
      // A job the owner paused on its own stays paused when the queue resumes.
      if (!hold && run.held) continue;
      holdRun(run, hold, this.store, (j) => this.changed(j));
    }
  }

  /**
   * The kill switch: every queued job is cancelled and every running ffmpeg is SIGKILLed at once (an emergency does
   * not wait for a clean trailer; the output is thrown away anyway); resolves when the processes are gone and the
   * jobs are marked cancelled. A cancel of one job stays graceful (cancelGraceMs).
   */
  async stopAll(reason = 'stopped by the emergency kill switch'): Promise<{ stopped: number }> {
    for (const j of this.store.withStatus('queued')) this.changed(this.store.transition(j.id, 'cancelled', { finishedAt: nowIso(), error: reason }));
    const runs = [...this.active.values()];
    for (const run of runs) this.stopRun(run, reason, 0);
    // A run still preparing (probing, rendering cues) has no process yet; it sees stopReason before spawning.
    await Promise.all(runs.filter((r) => r.handle || r.control).map((r) => r.finished));
    this.emitQueue();
    return { stopped: runs.length };
  }

  private stopRun(run: ActiveRun, reason: string, graceMs: number): void {
    run.stopReason ??= reason;
    run.handle?.terminate(graceMs);
    run.control?.stop(graceMs);
  }

  // ---- engine lifecycle ----

  /** Primary process only: crash recovery, then the scheduler. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.recover();
    this.pump();
    this.pollTimer = setInterval(() => this.pump(), this.opts.pollIntervalMs ?? 2000);
    this.pollTimer.unref();
  }

  /** See recoverJobs: jobs a crash (or close()) cut off are cleaned up and, in 'requeue' mode, queued again. */
  recover(): { interrupted: number; requeued: number } {
    return recoverJobs({ store: this.store, changed: (j) => this.changed(j), ...(this.opts.logError ? { logError: this.opts.logError } : {}) }, this.getSettings().recovery);
  }

  /**
   * Stops the scheduler; running jobs are stopped and handed back to the queue for the next engine (recovery
   * 'requeue'), or left 'interrupted' for the owner ('leave').
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.interrupt = true;
      this.stopRun(run, CLOSED_REASON, this.opts.stopGraceMs ?? 150);
    }
    await Promise.all(runs.map((r) => r.finished));
  }

  /**
   * Fills free slots in priority order (equal priorities: the older job first): a queued job, or one more
   * unit (chunk) of a running job. A chunk is queued work like any other, so concurrency bounds both.
   */
  private pump(): void {
    if (!this.started || this.closing || this.paused) return;
    // With a lab, its agents' slots decide (at least one, so work only this process can do still runs).
    const limit = this.remote ? Math.max(1, this.remote.capacity() ?? this.getSettings().concurrency) : this.getSettings().concurrency;
    const now = Date.now();
    const skip = new Set<number>();
    for (const [id, w] of this.waiting) if (w.recheckAt > now) skip.add(id);
    // A lab run whose agent is done holds no slot while it is checked and registered, so the agent gets its next
    // job at once; at most twice the slots in all, so a slow studio cannot pile finishing runs up without bound.
    let finishing = 0;
    for (const r of this.active.values()) if (r.encodeDone) finishing++;
    while (this.active.size - finishing + this.unitSlots.held < limit && this.active.size < 2 * limit) {
      const next = this.store.nextQueued(skip);
      const waiter = this.unitSlots.first((id) => this.active.has(id));
      if (waiter && (!next || waiter.priority > next.priority || (waiter.priority === next.priority && waiter.jobId < next.id))) {
        this.unitSlots.grant(waiter);
        continue;
      }
      if (!next) return;
      this.waiting.delete(next.id);
      this.launch(next);
    }
  }

  private launch(job: StoredJob): void {
    const attempt = job.attempts + 1;
    const row = this.store.transition(job.id, 'running', { startedAt: nowIso(), finishedAt: null, exitCode: null, error: null, logTail: '', attempts: attempt, progress: null });
    const run = newActiveRun(job.id);
    this.active.set(job.id, run);
    this.changed(row);
    this.emitQueue();
    run.finished = executeJob(this.stepsFor(row, run), row, run, attempt)
      .catch((e: unknown) => {
        this.opts.logError?.(`job ${job.id} crashed the runner`, e);
        // Last resort: a row 'running' with no process behind it would only be found at the next start.
        try {
          const cur = this.store.get(job.id);
          if (cur && (cur.status === 'running' || cur.status === 'paused')) {
            this.changed(this.store.transition(job.id, 'failed', { finishedAt: nowIso(), error: `the job runner failed: ${(e as Error).message}; retry the job`, pid: null, tempPath: null }));
          }
        } catch (inner) {
          this.opts.logError?.(`job ${job.id} could not be marked failed`, inner);
        }
      })
      .finally(() => {
        this.active.delete(job.id);
        // A job that ended may have freed space (a failed one removed its partial output): look again now.
        if (this.store.get(job.id)?.status !== 'queued') for (const w of this.waiting.values()) w.recheckAt = 0;
        this.emitQueue();
        setImmediate(() => this.pump());
      });
  }
}
