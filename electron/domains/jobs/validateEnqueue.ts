import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { PresetInfo, PresetList } from '../../../shared/dto/jobs';
import { ChurchError, isChurchError } from '../../../shared/errors';
import { PresetError, resolveParams, type ResolvedPreset } from '../../platform/media/presets';
import { decideSpace, estimateOutputBytes, type SpaceDecision } from './diskGuard';
import { diskRoom, nearestExisting } from './diskSpace';
import type { EnqueueRequest } from './engineOptions';
import type { NewJob } from './JobStore';
import { defaultOutputPath, outputShape, prepareRun, type OverlayResolver, type SourceMedia } from './planJob';

export function findPreset(list: PresetList, name: string): PresetInfo {
  const p = list.presets.find((x) => x.name === name);
  if (p) return p;
  const broken = list.problems.find((x) => x.file.endsWith(`${name}.json`));
  if (broken) throw new ChurchError('INVALID_INPUT', broken.message);
  throw new ChurchError('NOT_FOUND', `there is no preset "${name}"; known: ${list.presets.map((x) => x.name).join(', ')} ("church presets" lists them)`);
}

/** Refuses an output folder that exists and is not a folder (or cannot be inspected), with what to do. */
export function checkOutDir(outDir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(outDir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // created when the job runs
    throw new ChurchError('INVALID_INPUT', `the output folder ${outDir} cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose another folder`);
  }
  if (!isDir) throw new ChurchError('INVALID_INPUT', `the output folder ${outDir} is a file; choose a folder`);
}

function asInputError(e: unknown, preset: string): ChurchError {
  if (isChurchError(e)) return e;
  // A well-formed request the video cannot satisfy (the audio preset on a clip without audio) is a conflict
  // with the video, not bad input: the CLI exits 1 for it, as for any impossible request (2 is bad usage).
  if (e instanceof PresetError) return new ChurchError('CONFLICT', `preset ${preset} cannot run on this video: ${e.message}`);
  return new ChurchError('INVALID_INPUT', `preset ${preset}: ${(e as Error).message}`);
}

export interface EnqueueDeps {
  dataDir: string;
  presets(): PresetList;
  loadSources(ids: number[]): Promise<SourceMedia[]>;
  /** The dry-build resolver (cue tracks checked, not rendered). */
  overlays: OverlayResolver;
}

/** A job to insert, and its disk's answer now: a hold shows from the moment it is queued, not at its first try. */
export interface PlannedJob {
  job: NewJob;
  hold: Extract<SpaceDecision, { ok: false }> | null;
}

/** Room for the output on its folder's disk now (the folder may not exist yet: its parent's disk). */
async function spaceNow(resolved: ResolvedPreset, sources: SourceMedia[], plan: string, outDir: string): Promise<PlannedJob['hold']> {
  const estimate = estimateOutputBytes({ kind: resolved.kind, params: resolved.params as Record<string, unknown>, sources: sources.map((s) => ({ durationSec: s.probe.durationSec, sizeBytes: s.probe.sizeBytes })), plan });
  const room = await diskRoom(nearestExisting(outDir));
  if (room === null) return null;
  const d = decideSpace(estimate, room, outDir);
  // Refused before it exists: no amount of waiting fits it on this disk.
  if (!d.ok && d.never) throw new ChurchError('CONFLICT', d.message);
  return d.ok ? null : d;
}

/** Validates everything that can be known before ffmpeg runs and returns the job row to insert. */
export async function planEnqueue(req: EnqueueRequest, deps: EnqueueDeps): Promise<PlannedJob> {
  const preset = findPreset(deps.presets(), req.preset);
  let resolved: ResolvedPreset;
  try {
    resolved = resolveParams(preset.kind, preset.params, req.params ?? {});
  } catch (e) {
    throw new ChurchError('INVALID_INPUT', `${(e as Error).message} (preset ${preset.name})`);
  }
  if (req.extraVideoIds?.length && resolved.kind !== 'concat') throw new ChurchError('INVALID_INPUT', `extraVideoIds is only for concat presets; ${preset.name} takes one video`);
  const ids = [req.videoId, ...(req.extraVideoIds ?? [])];
  const sources = await deps.loadSources(ids);
  const outDir = req.outDir ?? join(deps.dataDir, 'outputs', String(req.videoId));
  if (!isAbsolute(outDir)) throw new ChurchError('INVALID_INPUT', `the output folder must be an absolute path, got "${outDir}"`);
  checkOutDir(outDir);
  const shape = outputShape(resolved);
  const outputPath = defaultOutputPath(outDir, sources[0]!.path, preset.name, shape);
  let plan: string;
  // A dry build: every impossible request fails here, before the job exists. The work dir is thrown away.
  const checkDir = mkdtempSync(join(deps.dataDir, 'jobs-work-check-'));
  try {
    plan = (await prepareRun(resolved, sources, outputPath, checkDir, deps.overlays)).plan;
  } catch (e) {
    throw asInputError(e, preset.name);
  } finally {
    rmSync(checkDir, { recursive: true, force: true });
  }
  const job: NewJob = {
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
    ...(req.noSpace ? { noSpace: req.noSpace } : {}),
  };
  return { job, hold: await spaceNow(resolved, sources, plan, outDir) };
}
