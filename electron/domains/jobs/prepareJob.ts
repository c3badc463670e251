import { mkdirSync, writeFileSync } from 'node:fs';
import type { NoSpaceMode } from '../../../shared/dto/jobs';
import { ChurchError } from '../../../shared/errors';
import { resolveBinary } from '../../platform/media';
import { resolveParams } from '../../platform/media/presets';
import { chunkSecondsFor } from './chunks/planChunks';
import { decideSpace, estimateOutputBytes } from './diskGuard';
import { diskRoom } from './diskSpace';
import type { RunOutcome, RunRequest } from './executor';
import type { JobStore, StoredJob } from './JobStore';
import { outputShape, prepareRun, type OutputShape, type OverlayResolver, type PreparedRun, type SourceMedia } from './planJob';
import { StopSignal, type ActiveRun } from './runState';

/** What preparing a job needs from the engine. */
export interface PrepareDeps {
  store: JobStore;
  env: NodeJS.ProcessEnv;
  loadSources(ids: number[]): Promise<SourceMedia[]>;
  overlays(): OverlayResolver;
  /** What a job does when its disk has too little room: wait in the queue (default) or fail at once. */
  noSpaceMode(): NoSpaceMode;
}

/** A job ready to run: the executors' request, and what finishing it checks and adds. */
export interface PreparedJob {
  req: RunRequest;
  shape: OutputShape;
  prepared: PreparedRun;
}

function makeOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ChurchError('INVALID_INPUT', code === 'EEXIST' || code === 'ENOTDIR'
      ? `the output folder ${outDir} is a file (or lies under one); choose a folder and queue the job again`
      : `the output folder ${outDir} cannot be created (${code ?? (e as Error).message}); check its permissions or choose another folder`);
  }
}

/**
 * Everything before ffmpeg runs: the preset's parameters, the sources, the output and work folders, the ffmpeg
 * arguments (recorded on the job), room on the disk and the ffmpeg binary. Ends early with an outcome when the
 * disk is too full and the owner chose to wait; throws what makes the job fail (or StopSignal when stopped).
 */
export async function prepareJob(job: StoredJob, run: ActiveRun, attempt: number, paths: { tempPath: string; workDir: string }, deps: PrepareDeps): Promise<PreparedJob | Extract<RunOutcome, { kind: 'waitingForSpace' }>> {
  const { store, env } = deps;
  const { tempPath, workDir } = paths;
  const resolved = resolveParams(job.kind, job.params);
  const shape = outputShape(resolved);
  const sources = await deps.loadSources([job.videoId!, ...job.extraVideoIds]);
  makeOutDir(job.outDir);
  // Asked now, read after the run is prepared: the statfs waits in libuv's pool while the arguments are built.
  const roomNow = diskRoom(job.outDir);
  mkdirSync(workDir, { recursive: true });
  store.update(job.id, { tempPath, workDir });
  if (shape.folder) mkdirSync(tempPath, { recursive: true });
  const prepared = await prepareRun(resolved, sources, tempPath, workDir, deps.overlays());
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
  const room = await roomNow;
  const noSpace = job.noSpace ?? deps.noSpaceMode();
  if (room !== null) {
    const space = decideSpace(estimate, room, job.outDir);
    if (!space.ok) {
      // A disk smaller than the need never makes room: waiting would hold the job for good.
      if (space.never) throw new ChurchError('UNAVAILABLE', space.message);
      if (noSpace === 'fail') throw new ChurchError('UNAVAILABLE', `${space.message}, then retry`);
      return { kind: 'waitingForSpace', decision: space };
    }
  }
  const bin = resolveBinary('ffmpeg', env);
  if (!bin.path) throw new ChurchError('UNAVAILABLE', bin.problem ?? 'ffmpeg was not found');
  run.durationSec = prepared.durationSec;
  const req: RunRequest = {
    job,
    attempt,
    run,
    preset: resolved,
    sources,
    args: prepared.args,
    tempPath,
    workDir,
    durationSec: prepared.durationSec,
    ffmpeg: bin.path,
    keepStderr: prepared.keepStderr,
    portable: !shape.folder && prepared.workFiles.length === 0 && !prepared.keepStderr,
    outputEstimateBytes: estimate.bytes,
    noSpace,
    chunkSec: chunkSecondsFor(resolved, sources[0]!.probe, prepared.args.includes('copy')),
  };
  return { req, shape, prepared };
}
