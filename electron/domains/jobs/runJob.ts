import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { JobProgress, JobStatus } from '../../../shared/dto/jobs';
import type { OutputKind } from '../../../shared/dto/library';
import { ChurchError, isChurchError } from '../../../shared/errors';
import { resolveBinary } from '../../platform/media';
import { PresetError, resolveParams } from '../../platform/media/presets';
import { chunkSecondsFor } from './chunks/planChunks';
import { runChunkedJob, type ChunkedOutcome } from './chunks/runChunkedJob';
import { startFfmpeg } from './ffmpegProcess';
import type { StoredJob } from './JobStore';
import { decideSpace, estimateOutputBytes, type SpaceDecision } from './diskGuard';
import { diskFullMessage, freeBytes, isDiskFull } from './diskSpace';
import { checkOutput, sizeOnDisk } from './outputCheck';
import { outputShape, prepareRun, tempPathFor } from './planJob';
import { removeTempOutputs } from './recovery';
import { UnitFailed } from './chunks/chunkUnit';
import { nowIso, StopSignal, type ActiveRun, type EngineContext } from './runState';

/** The first useful line of ffmpeg's log for the error message (the tail holds the rest). */
export function ffmpegReason(logTail: string): string {
  const lines = logTail.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /error|invalid|no such|not found|failed|cannot|unable/i.test(l));
  return (err ?? lines[lines.length - 1] ?? 'no log').slice(0, 300);
}

/** The wanted path, or the same name with -2, -3 … when an earlier output already has it (never overwrite). */
export function uniquePath(wanted: string): string {
  if (!existsSync(wanted)) return wanted;
  const ext = extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  for (let i = 2; ; i++) {
    const p = `${stem}-${i}${ext}`;
    if (!existsSync(p)) return p;
  }
}

/** Thrown before ffmpeg starts when the output's disk has too little room and the owner chose to wait. */
export class SpaceWait extends Error {
  constructor(readonly decision: Extract<SpaceDecision, { ok: false }>) {
    super(decision.message);
  }
}

/** A job that did not finish never shows 100 %: its last progress is capped just below. */
export function unfinishedProgress(p: JobProgress | null): JobProgress | null {
  if (!p || p.percent === null || p.percent < 100) return p;
  return { ...p, percent: 99.9, etaSec: null };
}

/**
 * Runs one job to its end state: prepares the ffmpeg run, supervises the process (pause, stop, stall), checks
 * the output, renames and registers it (done) or removes what it left (failed, cancelled, interrupted).
 */
export async function executeJob(ctx: EngineContext, job: StoredJob, run: ActiveRun, attempt: number): Promise<void> {
  const { opts, store, env } = ctx;
  const finalPath = job.outputPath;
  const tempPath = tempPathFor(finalPath, job.id, attempt);
  const workDir = join(opts.dataDir, 'jobs-work', String(job.id));
  let logTail = '';
  let exitCode: number | null = null;
  // A chunked job keeps its finished chunks when it fails or is interrupted, so the next attempt resumes.
  let keepWork = false;
  let ended: JobStatus = 'failed';
  try {
    const resolved = resolveParams(job.kind, job.params);
    const shape = outputShape(resolved);
    const sources = await ctx.loadSources([job.videoId!, ...job.extraVideoIds]);
    try {
      mkdirSync(job.outDir, { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ChurchError('INVALID_INPUT', code === 'EEXIST' || code === 'ENOTDIR'
        ? `the output folder ${job.outDir} is a file (or lies under one); choose a folder and queue the job again`
        : `the output folder ${job.outDir} cannot be created (${code ?? (e as Error).message}); check its permissions or choose another folder`);
    }
    // Asked now, read after the run is prepared: the statfs waits in libuv's pool while the arguments are built.
    const freeNow = freeBytes(job.outDir);
    mkdirSync(workDir, { recursive: true });
    store.update(job.id, { tempPath, workDir });
    if (shape.folder) mkdirSync(tempPath, { recursive: true });
    const prepared = await prepareRun(resolved, sources, tempPath, workDir, ctx.overlays());
    for (const f of prepared.workFiles) writeFileSync(f.path, f.content);
    store.update(job.id, { args: prepared.args, plan: prepared.plan });
    if (run.stopReason) throw new StopSignal();
    // Room for the output before ffmpeg runs, not an ENOSPC half-way through.
    const estimate = estimateOutputBytes({
      kind: job.kind,
      params: job.params,
      sources: sources.map((s) => ({ durationSec: s.probe.durationSec, sizeBytes: s.probe.sizeBytes })),
      plan: prepared.plan,
    });
    const free = await freeNow;
    if (free !== null) {
      const space = decideSpace(estimate, free, job.outDir);
      if (!space.ok) {
        if (ctx.noSpaceMode() === 'fail') throw new ChurchError('UNAVAILABLE', `${space.message}, then retry`);
        throw new SpaceWait(space);
      }
    }
    const bin = resolveBinary('ffmpeg', env);
    if (!bin.path) throw new ChurchError('UNAVAILABLE', bin.problem ?? 'ffmpeg was not found');
    run.durationSec = prepared.durationSec;
    const kept: string[] = [];
    const chunkSec = chunkSecondsFor(resolved, sources[0]!.probe, prepared.args.includes('copy'));
    let chunked: ChunkedOutcome | null = null;
    if (chunkSec !== null) {
      keepWork = true;
      chunked = await runChunkedJob({ ctx, job, run, preset: resolved, source: sources[0]!, oneArgs: prepared.args, workDir, chunkSec, ffmpeg: bin.path, runUnit: opts.runChunkUnit });
    }
    if (chunked) {
      logTail = chunked.logTail;
      exitCode = chunked.exitCode;
      store.update(job.id, { plan: `${prepared.plan}; ${chunked.plan}` });
    } else {
      const remote = ctx.remote();
      // A lab agent runs it when the lab takes this kind of job (one output file, nothing beside it); the handle
      // behaves as a local ffmpeg's and the output lands at tempPath, checked and registered below as any other.
      const onAgent = remote !== null && remote.accepts(job.kind) && !shape.folder && prepared.workFiles.length === 0 && !prepared.keepStderr;
      const handle = onAgent
        ? remote.start({ jobId: job.id, attempt, kind: job.kind, args: prepared.args, sourcePaths: sources.map((s) => s.path), tempPath, durationSec: prepared.durationSec, onProgress: (s, host) => ctx.progress(run, s, host) })
        : startFfmpeg(bin.path, prepared.args, {
            env,
            stallTimeoutMs: opts.stallTimeoutMs ?? 120_000,
            onProgress: (s) => ctx.progress(run, s),
            ...(prepared.keepStderr ? { keep: prepared.keepStderr, onKept: (l: string) => kept.push(l) } : {}),
          });
      run.handle = handle;
      store.update(job.id, { pid: handle.pid });
      // The queue may have been paused between launch and spawn.
      if (ctx.isPaused() && handle.suspend() && store.get(job.id)?.status === 'running') ctx.changed(store.transition(job.id, 'paused'));
      const exit = await handle.done;
      // The agent is done with it (uploaded, or failed): it takes its next job while this one is checked below.
      if (onAgent) {
        ctx.remoteEncodeDone(run);
        // The next job goes out first: the check below spawns ffprobe, and a spawn blocks this process for a fork.
        await new Promise((resolve) => setImmediate(resolve));
      }
      logTail = exit.logTail;
      exitCode = exit.code;
      if (run.stopReason) throw new StopSignal();
      if (exit.spawnError) throw new ChurchError('UNAVAILABLE', `ffmpeg at ${bin.path} could not start (${exit.spawnError}); reinstall ffmpeg or set FFMPEG_PATH`);
      if (exit.stalled) throw new ChurchError('TIMEOUT', `ffmpeg made no progress for ${Math.round((opts.stallTimeoutMs ?? 120_000) / 1000)} s and was stopped; check that the input is readable, then retry`);
      if (exit.code !== 0) {
        throw new ChurchError('EXTERNAL', exit.signal ? `ffmpeg was killed (${exit.signal}) by something outside the studio; retry the job` : `ffmpeg failed (exit ${exit.code}): ${ffmpegReason(exit.logTail)}; check the source file (rescan it in the library) and the preset, then retry`);
      }
    }
    if (run.stopReason) throw new StopSignal();
    for (const f of prepared.afterRun?.(kept) ?? []) writeFileSync(join(tempPath, f.name), f.content);
    await checkOutput(shape.folder ? join(tempPath, shape.mainFile!) : tempPath, prepared.expect, env);
    if (run.stopReason) throw new StopSignal();
    finishJob(ctx, job, run, tempPath, finalPath, shape.registerKind, shape.folder ? shape.mainFile : null, logTail, exitCode);
    ended = 'done';
  } catch (e) {
    // The cleanup must never keep the job from being marked: a throw here used to leave it 'running'.
    try {
      removeTempOutputs(job.outDir, job.id, tempPath);
      // Renamed but not registered (the library refused it): it must not stay behind as an orphan.
      const renamed = store.get(job.id)?.renamedTo;
      if (renamed) rmSync(renamed, { recursive: true, force: true });
    } catch (cleanup) {
      opts.logError?.(`job ${job.id}: its partial output could not be removed`, cleanup);
    }
    if (e instanceof SpaceWait && run.stopReason === null) {
      ctx.changed(store.transition(job.id, 'queued', { startedAt: null, error: null, pid: null, tempPath: null, renamedTo: null, progress: null, attempts: attempt - 1 }));
      ctx.waitForSpace(job.id, e.decision);
      return;
    }
    const stopped = e instanceof StopSignal || run.stopReason !== null;
    const status: JobStatus = stopped ? (run.interrupt ? 'interrupted' : 'cancelled') : 'failed';
    ended = status;
    if (e instanceof UnitFailed) {
      logTail = e.logTail;
      exitCode = e.exitCode;
    }
    let message = stopped ? run.stopReason! : isChurchError(e) ? e.message : e instanceof PresetError ? e.message : `the job failed: ${(e as Error).message}`;
    // A disk that filled mid-job: say which disk and how much is left, not "check the source and the preset".
    if (!stopped && (isDiskFull(logTail) || isDiskFull((e as Error).message ?? ''))) message = await diskFullMessage(job.outDir).catch(() => message);
    const row = store.transition(job.id, status, { finishedAt: nowIso(), error: message, logTail, exitCode, pid: null, tempPath: null, renamedTo: null, progress: unfinishedProgress(run.progress) });
    ctx.changed(row);
  } finally {
    try {
      if (!keepWork || ended === 'done' || ended === 'cancelled') rmSync(workDir, { recursive: true, force: true });
    } catch (e) {
      opts.logError?.(`job ${job.id}: its work folder ${workDir} could not be removed`, e);
    }
  }
}

/** Renames the validated temp output into place, then registers it and marks the job done in one transaction. */
function finishJob(ctx: EngineContext, job: StoredJob, run: ActiveRun, tempPath: string, wanted: string, kind: OutputKind, mainFile: string | null, logTail: string, exitCode: number | null): void {
  const { opts, store } = ctx;
  const finalPath = uniquePath(wanted);
  store.update(job.id, { renamedTo: finalPath });
  renameSync(tempPath, finalPath);
  const registered = mainFile && kind !== 'hls' ? join(finalPath, mainFile) : finalPath;
  const size = sizeOnDisk(finalPath);
  const progress: JobProgress = { jobId: job.id, percent: 100, fps: run.progress?.fps ?? null, speed: run.progress?.speed ?? null, etaSec: 0, outTimeSec: run.durationSec, ...(run.progress?.host ? { host: run.progress.host } : {}) };
  const row = opts.db.transaction(() => {
    const ids = job.videoId === null ? [] : [opts.library.registerOutput({ videoId: job.videoId, jobId: job.id, preset: job.preset, kind, path: registered, sizeBytes: size }).id];
    return store.transition(job.id, 'done', { finishedAt: nowIso(), outputPath: finalPath, outputIds: ids, logTail, exitCode, pid: null, tempPath: null, renamedTo: null, progress });
  })();
  opts.emit('jobs.progress', progress);
  ctx.changed(row);
}
