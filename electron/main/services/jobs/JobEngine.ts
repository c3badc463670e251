import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { EventName, EventPayload } from '../../../../shared/contract';
import type { Job, JobEngineSettings, JobList, JobProgress, JobStatus, PresetInfo, PresetList, QueueState, RecoveryMode } from '../../../../shared/dto/jobs';
import type { OutputKind } from '../../../../shared/dto/library';
import type { ProbeResult } from '../../../../shared/dto/probe';
import { ChurchError, isChurchError } from '../../../../shared/errors';
import type { Db } from '../db';
import { resolveBinary } from '../media';
import { probeFile, ProbeError } from '../media/probe';
import { loadPresets, PresetError, resolveParams, type OverlaySource, type ResolvedPreset } from '../media/presets';
import type { SettingsStore } from '../settings';
import { startFfmpeg, type FfmpegHandle } from './ffmpegProcess';
import { JobStore, publicJob, type StoredJob } from './JobStore';
import { checkOutput, sizeOnDisk } from './outputCheck';
import { defaultOutputPath, outputShape, prepareRun, tempPathFor, type OverlayResolver, type SourceMedia } from './planJob';
import { progressFigures } from './progressParser';
import { isOurFfmpeg, removeTempOutputs } from './recovery';

/** What the engine needs from the library: a video's file and probe, and a place to register outputs. */
export interface JobLibrary {
  getVideo(id: number): { path: string; probe: ProbeResult | null } | null;
  registerOutput(o: { videoId: number; jobId: number | null; preset: string; kind: OutputKind; path: string; sizeBytes: number }): { id: number };
}

export interface CueOverlayRenderer {
  /** The stored cue track: enqueue only checks that it has cues (rendering the PNGs is the job's work). */
  getTrack(videoId: number): { cues: readonly unknown[] };
  renderCueOverlay(videoId: number, opts: { width: number; height: number; durationSec: number; workDir: string; fps?: number | null }): Promise<{ path: string; format: 'concat' } | null>;
}

export interface JobEngineOptions {
  db: Db;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  settings: SettingsStore;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  library: JobLibrary;
  avatar?: CueOverlayRenderer | null;
  logError?: (msg: string, e: unknown) => void;
  cpuCount?: number;
  /** SIGTERM → SIGKILL grace for a cancel (ffmpeg normally closes its output within milliseconds). */
  cancelGraceMs?: number;
  /** The same for stopAll (the kill switch): short, since nothing is kept anyway. */
  stopGraceMs?: number;
  /** Kill a job whose ffmpeg reports nothing for this long. */
  stallTimeoutMs?: number;
  /** At most one progress event per job per this interval. */
  progressIntervalMs?: number;
  /** How often the primary engine looks for jobs queued by another process (a CLI on the same data dir). */
  pollIntervalMs?: number;
}

export interface EnqueueRequest {
  videoId: number;
  preset: string;
  extraVideoIds?: number[];
  params?: Record<string, unknown>;
  priority?: number;
  outDir?: string;
}

interface ActiveRun {
  jobId: number;
  handle: FfmpegHandle | null;
  /** Why it is being stopped: set before the process is signalled, read when it exits. */
  stopReason: string | null;
  /** When set, a stop leaves the job 'interrupted' (the studio closing) instead of 'cancelled'. */
  interrupt: boolean;
  progress: JobProgress | null;
  lastEmit: number;
  startedMs: number;
  durationSec: number | null;
  finished: Promise<void>;
}

const SETTINGS = {
  concurrency: { key: 'jobs.concurrency', schema: z.number().int().min(1).max(64) },
  recovery: { key: 'jobs.recovery', schema: z.enum(['requeue', 'leave']) },
};

/** One concurrent encode per two cores: x264 already uses every core, more jobs only fight for cache. */
export function defaultConcurrency(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

/** The error a job stopped by close() carries: recover() re-queues exactly these (in 'requeue' mode). */
export const CLOSED_REASON = 'the studio closed while this job was running';

/** Refuses an output folder that exists and is not a folder (or cannot be inspected), with what to do. */
function checkOutDir(outDir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(outDir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // created when the job runs
    throw new ChurchError('INVALID_INPUT', `the output folder ${outDir} cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose another folder`);
  }
  if (!isDir) throw new ChurchError('INVALID_INPUT', `the output folder ${outDir} is a file; choose a folder`);
}

function nowIso(): string {
  return new Date().toISOString();
}

/** The first useful line of ffmpeg's log for the error message (the tail holds the rest). */
function ffmpegReason(logTail: string): string {
  const lines = logTail.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /error|invalid|no such|not found|failed|cannot|unable/i.test(l));
  return (err ?? lines[lines.length - 1] ?? 'no log').slice(0, 300);
}

/**
 * The job queue: jobs persist in SQLite, run as ffmpeg processes (argument arrays) up to a concurrency limit in
 * priority order, report live progress, write to a temp name and rename only a validated output, register it in
 * the library, and recover from a crash at the next start. Only the primary process calls start().
 */
export class JobEngine {
  readonly store: JobStore;
  readonly userPresetDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly active = new Map<number, ActiveRun>();
  private started = false;
  private closing = false;
  private paused = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly cores: number;

  constructor(private readonly opts: JobEngineOptions) {
    this.store = new JobStore(opts.db);
    this.env = opts.env ?? process.env;
    this.userPresetDir = join(opts.dataDir, 'presets');
    this.cores = opts.cpuCount ?? cpus().length;
  }

  // ---- settings and presets ----

  getSettings(): JobEngineSettings {
    const def = defaultConcurrency(this.cores);
    return {
      concurrency: this.opts.settings.get(SETTINGS.concurrency.key, SETTINGS.concurrency.schema, def),
      recovery: this.opts.settings.get(SETTINGS.recovery.key, SETTINGS.recovery.schema, 'requeue'),
      defaultConcurrency: def,
    };
  }

  setSettings(patch: { concurrency?: number; recovery?: RecoveryMode }): JobEngineSettings {
    if (patch.concurrency !== undefined) this.opts.settings.set(SETTINGS.concurrency.key, SETTINGS.concurrency.schema, patch.concurrency);
    if (patch.recovery !== undefined) this.opts.settings.set(SETTINGS.recovery.key, SETTINGS.recovery.schema, patch.recovery);
    this.emitQueue();
    this.pump();
    return this.getSettings();
  }

  presets(): PresetList {
    return loadPresets(this.userPresetDir, this.env);
  }

  private findPreset(name: string): PresetInfo {
    const list = this.presets();
    const p = list.presets.find((x) => x.name === name);
    if (p) return p;
    const broken = list.problems.find((x) => x.file.endsWith(`${name}.json`));
    if (broken) throw new ChurchError('INVALID_INPUT', broken.message);
    throw new ChurchError('NOT_FOUND', `there is no preset "${name}"; known: ${list.presets.map((x) => x.name).join(', ')} ("church presets" lists them)`);
  }

  // ---- reads ----

  queueState(): QueueState {
    return { paused: this.paused, concurrency: this.getSettings().concurrency, running: this.active.size, queued: this.store.count('queued') };
  }

  private withLive(j: StoredJob): Job {
    const pub = publicJob(j);
    const live = this.active.get(j.id)?.progress;
    return live && (j.status === 'running' || j.status === 'paused') ? { ...pub, progress: live } : pub;
  }

  list(opts: { status?: JobStatus; limit?: number } = {}): JobList {
    return { jobs: this.store.list(opts).map((j) => this.withLive(j)), queue: this.queueState() };
  }

  get(id: number): Job {
    return this.withLive(this.store.require(id));
  }

  // ---- queueing ----

  /** Validates everything that can be known before ffmpeg runs, then queues the job. */
  async enqueue(req: EnqueueRequest): Promise<Job> {
    const preset = this.findPreset(req.preset);
    let resolved: ResolvedPreset;
    try {
      resolved = resolveParams(preset.kind, preset.params, req.params ?? {});
    } catch (e) {
      throw new ChurchError('INVALID_INPUT', `${(e as Error).message} (preset ${preset.name})`);
    }
    if (req.extraVideoIds?.length && resolved.kind !== 'concat') throw new ChurchError('INVALID_INPUT', `extraVideoIds is only for concat presets; ${preset.name} takes one video`);
    const ids = [req.videoId, ...(req.extraVideoIds ?? [])];
    const sources = await this.loadSources(ids);
    const outDir = req.outDir ?? join(this.opts.dataDir, 'outputs', String(req.videoId));
    if (!isAbsolute(outDir)) throw new ChurchError('INVALID_INPUT', `the output folder must be an absolute path, got "${outDir}"`);
    checkOutDir(outDir);
    const shape = outputShape(resolved);
    const outputPath = defaultOutputPath(outDir, sources[0]!.path, preset.name, shape);
    let plan: string;
    // A dry build: every impossible request fails here, before the job exists. The work dir is thrown away.
    const checkDir = mkdtempSync(join(this.opts.dataDir, 'jobs-work-check-'));
    try {
      plan = (await prepareRun(resolved, sources, outputPath, checkDir, this.overlays(false))).plan;
    } catch (e) {
      throw this.asInputError(e, preset.name);
    } finally {
      rmSync(checkDir, { recursive: true, force: true });
    }
    const job = this.store.insert({
      videoId: req.videoId,
      extraVideoIds: req.extraVideoIds ?? [],
      preset: preset.name,
      kind: preset.kind,
      priority: req.priority ?? 0,
      params: resolved.params as Record<string, unknown>,
      inputPath: sources[0]!.path,
      outDir,
      outputPath,
      plan,
    });
    this.changed(job);
    this.emitQueue();
    this.pump();
    return this.get(job.id);
  }

  private asInputError(e: unknown, preset: string): ChurchError {
    if (isChurchError(e)) return e;
    if (e instanceof PresetError) return new ChurchError('INVALID_INPUT', `preset ${preset} cannot run on this video: ${e.message}`);
    return new ChurchError('INVALID_INPUT', `preset ${preset}: ${(e as Error).message}`);
  }

  private async loadSources(ids: number[]): Promise<SourceMedia[]> {
    const out: SourceMedia[] = [];
    for (const id of ids) {
      const v = this.opts.library.getVideo(id);
      if (!v) throw new ChurchError('NOT_FOUND', `there is no video ${id} in the library; "church library" lists them`);
      if (!existsSync(v.path)) throw new ChurchError('NOT_FOUND', `video ${id} is missing on disk (${v.path}); rescan its folder or restore the file`);
      const probe = v.probe ?? (await probeFile(v.path, { env: this.env }));
      out.push({ videoId: id, path: v.path, probe });
    }
    return out;
  }

  /**
   * render false (enqueue's dry build): the cue track is only checked for cues, and a list path that is never
   * written stands in for the rendered PNGs; rendering them is the job's work, not validation's.
   */
  private overlays(render = true): OverlayResolver {
    const env = this.env;
    const avatar = this.opts.avatar ?? null;
    return {
      async overlayFile(path: string): Promise<OverlaySource> {
        if (!isAbsolute(path)) throw new PresetError(`the overlay file must be an absolute path, got "${path}"`);
        if (!existsSync(path)) throw new PresetError(`the overlay file ${path} does not exist; choose another image or video`);
        try {
          const p = await probeFile(path, { env });
          if (p.kind !== 'video') throw new PresetError(`${path} has only audio; an overlay must be an image or a video`);
          return { kind: 'video', path };
        } catch (e) {
          if (e instanceof ProbeError && e.reason === 'image') return { kind: 'image', path };
          if (e instanceof PresetError) throw e;
          throw new PresetError(`the overlay file ${path} is not a readable image or video (${(e as Error).message})`);
        }
      },
      async cueOverlay(videoId, o) {
        if (!avatar) return null;
        if (!render) return avatar.getTrack(videoId).cues.length > 0 ? { kind: 'concat', path: join(o.workDir, 'cues.ffconcat') } : null;
        const r = await avatar.renderCueOverlay(videoId, o);
        return r ? { kind: 'concat', path: r.path } : null;
      },
    };
  }

  async cancel(id: number): Promise<Job> {
    const job = this.store.require(id);
    if (job.status === 'queued') {
      this.changed(this.store.transition(id, 'cancelled', { finishedAt: nowIso(), error: 'cancelled before it started' }));
      this.emitQueue();
      return this.get(id);
    }
    const run = this.active.get(id);
    if (!run && (job.status === 'running' || job.status === 'paused')) {
      throw new ChurchError('CONFLICT', `job ${id} is ${job.status} in another process on this data dir (a "church transcode" or the studio); cancel it there, with Ctrl-C, or from the studio`);
    }
    if (!run || (job.status !== 'running' && job.status !== 'paused')) {
      throw new ChurchError('CONFLICT', `job ${id} is ${job.status}; only queued, running or paused jobs can be cancelled`);
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

  /** Pauses the queue: no job starts, and running encodes are suspended in place (SIGSTOP) until resume. */
  pause(): QueueState {
    this.paused = true;
    for (const run of this.active.values()) {
      if (run.handle?.suspend()) {
        const j = this.store.get(run.jobId);
        if (j?.status === 'running') this.changed(this.store.transition(run.jobId, 'paused'));
      }
    }
    this.emitQueue();
    return this.queueState();
  }

  resume(): QueueState {
    this.paused = false;
    for (const run of this.active.values()) {
      if (run.handle?.resume()) {
        const j = this.store.get(run.jobId);
        if (j?.status === 'paused') this.changed(this.store.transition(run.jobId, 'running'));
      }
    }
    this.emitQueue();
    this.pump();
    return this.queueState();
  }

  /**
   * The kill switch: every queued job is cancelled and every running ffmpeg gets SIGTERM, then SIGKILL after a
   * short grace; resolves when the processes are gone and the jobs are marked cancelled.
   */
  async stopAll(reason = 'stopped by the emergency kill switch'): Promise<{ stopped: number }> {
    for (const j of this.store.withStatus('queued')) this.changed(this.store.transition(j.id, 'cancelled', { finishedAt: nowIso(), error: reason }));
    const runs = [...this.active.values()];
    for (const run of runs) this.stopRun(run, reason, this.opts.stopGraceMs ?? 150);
    // A run still preparing (probing, rendering cues) has no process yet; it sees stopReason before spawning.
    await Promise.all(runs.filter((r) => r.handle).map((r) => r.finished));
    this.emitQueue();
    return { stopped: runs.length };
  }

  private stopRun(run: ActiveRun, reason: string, graceMs: number): void {
    run.stopReason ??= reason;
    run.handle?.terminate(graceMs);
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

  /**
   * Jobs a crash cut off: their leftover ffmpeg (if it still runs) is killed, their temp output and an
   * unregistered renamed output are removed, and they become 'interrupted', then 'queued' again unless the
   * owner chose to decide by hand. Registration and 'done' commit together, so nothing is registered twice.
   */
  recover(): { interrupted: number; requeued: number } {
    const mode = this.getSettings().recovery;
    let interrupted = 0;
    let requeued = 0;
    // Jobs close() stopped are already 'interrupted' (their partial output removed by the run itself): in
    // 'requeue' mode they are queued again like crashed ones; in 'leave' mode they simply stay as they are. A job
    // left interrupted by a crash under 'leave' keeps its owner's decision (its error is not CLOSED_REASON).
    const closed = mode === 'requeue' ? this.store.withStatus('interrupted').filter((j) => j.error === CLOSED_REASON) : [];
    for (const j of [...this.store.withStatus('running', 'paused'), ...closed]) {
      // One bad job (its folder became a file, a disk went away) must not stop the studio from starting.
      try {
        this.cleanUpAfterCrash(j);
      } catch (e) {
        this.opts.logError?.(`recovery of job ${j.id} could not clean up everything`, e);
      }
      try {
        let row = j.status === 'interrupted' ? j : this.store.transition(j.id, 'interrupted', {
          finishedAt: nowIso(),
          error: 'the studio stopped while this job was running (crash or power loss); its partial output was removed',
          pid: null,
          tempPath: null,
          renamedTo: null,
          progress: null,
        });
        interrupted++;
        if (mode === 'requeue') {
          row = this.store.transition(j.id, 'queued', { startedAt: null, finishedAt: null });
          requeued++;
        }
        this.changed(row);
      } catch (e) {
        this.opts.logError?.(`recovery could not mark job ${j.id}`, e);
      }
    }
    return { interrupted, requeued };
  }

  /** Kills a leftover ffmpeg of ours and removes what a cut-off run left behind (never a registered output). */
  private cleanUpAfterCrash(j: StoredJob): void {
    if (j.pid && j.tempPath && isOurFfmpeg(j.pid, j.tempPath)) {
      try {
        process.kill(j.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    removeTempOutputs(j.outDir, j.id, j.tempPath);
    if (j.renamedTo && existsSync(j.renamedTo)) rmSync(j.renamedTo, { recursive: true, force: true });
    if (j.workDir) rmSync(j.workDir, { recursive: true, force: true });
  }

  /** Stops the scheduler; running jobs are stopped and left 'interrupted' (recovery decides at the next start). */
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

  /** Starts queued jobs while there is room. */
  private pump(): void {
    if (!this.started || this.closing || this.paused) return;
    const limit = this.getSettings().concurrency;
    while (this.active.size < limit) {
      const next = this.store.nextQueued();
      if (!next) return;
      this.launch(next);
    }
  }

  private launch(job: StoredJob): void {
    const attempt = job.attempts + 1;
    const row = this.store.transition(job.id, 'running', { startedAt: nowIso(), finishedAt: null, exitCode: null, error: null, logTail: '', attempts: attempt, progress: null });
    const run: ActiveRun = { jobId: job.id, handle: null, stopReason: null, interrupt: false, progress: null, lastEmit: 0, startedMs: Date.now(), durationSec: null, finished: Promise.resolve() };
    this.active.set(job.id, run);
    this.changed(row);
    this.emitQueue();
    run.finished = this.execute(row, run, attempt)
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
        this.emitQueue();
        setImmediate(() => this.pump());
      });
  }

  private async execute(job: StoredJob, run: ActiveRun, attempt: number): Promise<void> {
    const finalPath = job.outputPath;
    const tempPath = tempPathFor(finalPath, job.id, attempt);
    const workDir = join(this.opts.dataDir, 'jobs-work', String(job.id));
    let logTail = '';
    let exitCode: number | null = null;
    try {
      const resolved = resolveParams(job.kind, job.params);
      const shape = outputShape(resolved);
      const sources = await this.loadSources([job.videoId!, ...job.extraVideoIds]);
      try {
        mkdirSync(job.outDir, { recursive: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new ChurchError('INVALID_INPUT', code === 'EEXIST' || code === 'ENOTDIR'
          ? `the output folder ${job.outDir} is a file (or lies under one); choose a folder and queue the job again`
          : `the output folder ${job.outDir} cannot be created (${code ?? (e as Error).message}); check its permissions or choose another folder`);
      }
      mkdirSync(workDir, { recursive: true });
      this.store.update(job.id, { tempPath, workDir });
      if (shape.folder) mkdirSync(tempPath, { recursive: true });
      const prepared = await prepareRun(resolved, sources, tempPath, workDir, this.overlays());
      for (const f of prepared.workFiles) writeFileSync(f.path, f.content);
      this.store.update(job.id, { args: prepared.args, plan: prepared.plan });
      if (run.stopReason) throw new StopSignal();
      const bin = resolveBinary('ffmpeg', this.env);
      if (!bin.path) throw new ChurchError('UNAVAILABLE', bin.problem ?? 'ffmpeg was not found');
      run.durationSec = prepared.durationSec;
      const kept: string[] = [];
      const handle = startFfmpeg(bin.path, prepared.args, {
        env: this.env,
        stallTimeoutMs: this.opts.stallTimeoutMs ?? 120_000,
        onProgress: (s) => this.progress(run, s),
        ...(prepared.keepStderr ? { keep: prepared.keepStderr, onKept: (l: string) => kept.push(l) } : {}),
      });
      run.handle = handle;
      this.store.update(job.id, { pid: handle.pid });
      // The queue may have been paused between launch and spawn.
      if (this.paused && handle.suspend()) this.changed(this.store.transition(job.id, 'paused'));
      const exit = await handle.done;
      logTail = exit.logTail;
      exitCode = exit.code;
      if (run.stopReason) throw new StopSignal();
      if (exit.spawnError) throw new ChurchError('UNAVAILABLE', `ffmpeg at ${bin.path} could not start (${exit.spawnError}); reinstall ffmpeg or set FFMPEG_PATH`);
      if (exit.stalled) throw new ChurchError('TIMEOUT', `ffmpeg made no progress for ${Math.round((this.opts.stallTimeoutMs ?? 120_000) / 1000)} s and was stopped; check that the input is readable, then retry`);
      if (exit.code !== 0) {
        throw new ChurchError('EXTERNAL', exit.signal ? `ffmpeg was killed (${exit.signal}) by something outside the studio; retry the job` : `ffmpeg failed (exit ${exit.code}): ${ffmpegReason(exit.logTail)}; check the source file (rescan it in the library) and the preset, then retry`);
      }
      for (const f of prepared.afterRun?.(kept) ?? []) writeFileSync(join(tempPath, f.name), f.content);
      await checkOutput(shape.folder ? join(tempPath, shape.mainFile!) : tempPath, prepared.expect, this.env);
      if (run.stopReason) throw new StopSignal();
      this.finish(job, run, tempPath, finalPath, shape.registerKind, shape.folder ? shape.mainFile : null, logTail, exitCode);
    } catch (e) {
      // The cleanup must never keep the job from being marked: a throw here used to leave it 'running'.
      try {
        removeTempOutputs(job.outDir, job.id, tempPath);
        // Renamed but not registered (the library refused it): it must not stay behind as an orphan.
        const renamed = this.store.get(job.id)?.renamedTo;
        if (renamed) rmSync(renamed, { recursive: true, force: true });
      } catch (cleanup) {
        this.opts.logError?.(`job ${job.id}: its partial output could not be removed`, cleanup);
      }
      const stopped = e instanceof StopSignal || run.stopReason !== null;
      const status: JobStatus = stopped ? (run.interrupt ? 'interrupted' : 'cancelled') : 'failed';
      const message = stopped ? run.stopReason! : isChurchError(e) ? e.message : e instanceof PresetError ? e.message : `the job failed: ${(e as Error).message}`;
      const row = this.store.transition(job.id, status, { finishedAt: nowIso(), error: message, logTail, exitCode, pid: null, tempPath: null, renamedTo: null, progress: run.progress });
      this.changed(row);
    } finally {
      try {
        rmSync(workDir, { recursive: true, force: true });
      } catch (e) {
        this.opts.logError?.(`job ${job.id}: its work folder ${workDir} could not be removed`, e);
      }
    }
  }

  /** Renames the validated temp output into place, then registers it and marks the job done in one transaction. */
  private finish(job: StoredJob, run: ActiveRun, tempPath: string, wanted: string, kind: OutputKind, mainFile: string | null, logTail: string, exitCode: number | null): void {
    const finalPath = uniquePath(wanted);
    this.store.update(job.id, { renamedTo: finalPath });
    renameSync(tempPath, finalPath);
    const registered = mainFile && kind !== 'hls' ? join(finalPath, mainFile) : finalPath;
    const size = sizeOnDisk(finalPath);
    const progress: JobProgress = { jobId: job.id, percent: 100, fps: run.progress?.fps ?? null, speed: run.progress?.speed ?? null, etaSec: 0, outTimeSec: run.durationSec };
    const row = this.opts.db.transaction(() => {
      const ids = job.videoId === null ? [] : [this.opts.library.registerOutput({ videoId: job.videoId, jobId: job.id, preset: job.preset, kind, path: registered, sizeBytes: size }).id];
      return this.store.transition(job.id, 'done', { finishedAt: nowIso(), outputPath: finalPath, outputIds: ids, logTail, exitCode, pid: null, tempPath: null, renamedTo: null, progress });
    })();
    this.opts.emit('jobs.progress', progress);
    this.changed(row);
  }

  private progress(run: ActiveRun, s: Parameters<typeof progressFigures>[0]): void {
    const { percent, etaSec } = progressFigures(s, run.durationSec, (Date.now() - run.startedMs) / 1000);
    run.progress = { jobId: run.jobId, percent, etaSec, fps: s.fps, speed: s.speed, outTimeSec: s.outTimeSec };
    const now = Date.now();
    if (s.end || now - run.lastEmit >= (this.opts.progressIntervalMs ?? 250)) {
      run.lastEmit = now;
      this.opts.emit('jobs.progress', run.progress);
    }
  }

  private changed(j: StoredJob): void {
    this.opts.emit('jobs.changed', this.withLive(j));
  }

  private emitQueue(): void {
    this.opts.emit('jobs.queue', this.queueState());
  }
}

class StopSignal extends Error {}

/** The wanted path, or the same name with -2, -3 … when an earlier output already has it (never overwrite). */
function uniquePath(wanted: string): string {
  if (!existsSync(wanted)) return wanted;
  const ext = extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  for (let i = 2; ; i++) {
    const p = `${stem}-${i}${ext}`;
    if (!existsSync(p)) return p;
  }
}
