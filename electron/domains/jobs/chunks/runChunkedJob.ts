import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChurchError } from '../../../../shared/errors';
import { probeFile } from '../../../platform/media/probe';
import type { RunLog, RunPort, RunRequest } from '../executor';
import { startFfmpeg, type FfmpegExit } from '../ffmpegProcess';
import { StopSignal } from '../runState';
import { ChunkProgress } from './chunkProgress';
import { UnitFailed, type ChunkUnit, type UnitRunner } from './chunkUnit';
import { PART_PREFIX, UNIT_PREFIX } from './chunkWorkDir';
import { countFrames } from './countFrames';
import { buildAudioPassArgs, buildChunkArgs, buildJoinArgs, chunkConcatList, planChunks, type ChunkSpec } from './planChunks';
import { readFrameTimeline } from './readFrameTimeline';
import { recordUnitDone, resumeManifest } from './resumeManifest';
import { UnitScheduler } from './unitScheduler';

export interface ChunkedOutcome extends RunLog {
  /** What was decided, for the job's plan ("12 chunks of ~60 s; resumed with 8 done"). */
  plan: string;
}

function mmss(sec: number): string {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Where the looped overlay video's path is in the one-piece command, and its length (null: none looped). */
async function overlayPeriod(oneArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const loop = oneArgs.indexOf('-stream_loop');
  if (loop < 0) return null;
  const i = oneArgs.indexOf('-i', loop);
  const path = oneArgs[i + 1]!.replace(/^file:/, '');
  return (await probeFile(path, { env })).durationSec;
}

export function unitsFor(jobId: number, oneArgs: readonly string[], chunks: readonly ChunkSpec[], workDir: string, o: { overlayPeriodSec: number | null; segmentSec: number | null }): ChunkUnit[] {
  const units: ChunkUnit[] = [];
  const hasAudio = oneArgs.some((a, i) => a === '-map' && oneArgs[i + 1] === '0:a:0');
  if (hasAudio) {
    const name = `${UNIT_PREFIX}audio.m4a`;
    const partPath = join(workDir, PART_PREFIX + name);
    units.push({ jobId, name, kind: 'audio', label: 'the audio pass', args: buildAudioPassArgs(oneArgs, partPath), partPath, path: join(workDir, name), durationSec: 0, frames: null });
  }
  for (const c of chunks) {
    const name = `${UNIT_PREFIX}chunk-${String(c.index).padStart(5, '0')}.mp4`;
    const partPath = join(workDir, PART_PREFIX + name);
    units.push({
      jobId,
      name,
      kind: 'video',
      label: `chunk ${c.index + 1} of ${chunks.length} (from ${mmss(c.startSec)})`,
      args: buildChunkArgs(oneArgs, c, { ...o, output: partPath }),
      partPath,
      path: join(workDir, name),
      durationSec: c.durationSec,
      frames: c.frames,
    });
  }
  return units;
}


/** The job's plan in words: how it was cut, how much an earlier attempt had done, why its work was dropped. */
function planText(units: readonly ChunkUnit[], chunkCount: number, chunkSec: number, verified: ReadonlySet<string>, notes: readonly string[]): string {
  const doneBefore = units.filter((u) => verified.has(u.name) && u.kind === 'video').length;
  return [
    `chunked: ${chunkCount} chunks of ~${chunkSec} s cut at keyframes, joined without re-encoding${units[0]?.kind === 'audio' ? ', audio encoded once' : ''}`,
    doneBefore > 0 ? `resumed with ${doneBefore} of ${chunkCount} chunks already done` : null,
    ...notes.map((n) => `note: ${n}`),
  ].filter(Boolean).join('; ');
}

/** A finished unit: a chunk short of frames (an encoder stopped early yet exiting 0) is caught here, not at the join. */
async function checkUnit(u: ChunkUnit, env: NodeJS.ProcessEnv): Promise<void> {
  if (u.frames === null) return;
  const got = await countFrames(u.path, env);
  if (got !== null && got !== u.frames) {
    rmSync(u.path, { force: true });
    throw new UnitFailed(`${u.label} came out with ${got} frames instead of ${u.frames}; retry the job, or set chunkSeconds to 0 to encode in one piece`, '', 0);
  }
}

/**
 * Runs a chunked job: plans chunks at the source's keyframes, keeps the finished ones of an earlier attempt
 * (resumeManifest), runs the rest as units through the queue's slots (UnitScheduler), then joins them without
 * re-encoding into the job's temp output. Throws as a run does (StopSignal, UnitFailed, ChurchError).
 * Returns null when the source has too few keyframes for two chunks (the caller encodes in one piece).
 */
export async function runChunkedJob(req: RunRequest, port: RunPort, runUnit: UnitRunner): Promise<ChunkedOutcome | null> {
  const { job, run, workDir, chunkSec } = req;
  const env = port.env;
  const timeline = await readFrameTimeline(req.sources[0]!.path, env);
  const chunks = planChunks(timeline, chunkSec!);
  if (chunks.length < 2) return null;
  if (run.stopReason) throw new StopSignal();
  const segmentSec = req.preset.kind === 'hls' ? req.preset.params.segmentSec : null;
  const units = unitsFor(job.id, req.args, chunks, workDir, { overlayPeriodSec: await overlayPeriod(req.args, env), segmentSec });
  const { manifest, verified, notes } = await resumeManifest(workDir, req.sources[0]!.path, units);
  const plan = planText(units, chunks.length, chunkSec!, verified, notes);

  const progress = new ChunkProgress(job.id, units, verified, (p, force) => port.publishProgress(p, force));
  run.durationSec = progress.totalSec;
  const scheduler = new UnitScheduler({
    run,
    port,
    pending: units.filter((u) => !verified.has(u.name)),
    runUnit,
    progress,
    finishUnit: async (u) => {
      await checkUnit(u, env);
      await recordUnitDone(workDir, manifest, u);
    },
  });
  const ended = await scheduler.runAll();
  if (ended.stopped || run.stopReason) throw new StopSignal();
  if (ended.failure !== null) throw ended.failure;

  const exit = await joinUnits(req, port, units);
  const totalFrames = chunks.reduce((n, c) => n + c.frames, 0);
  if (exit.code !== 0) throw new UnitFailed(`joining the ${chunks.length} chunks failed (exit ${exit.code}${exit.signal ? `, ${exit.signal}` : ''}); retry the job (finished chunks are kept)`, exit.logTail, exit.code);
  const frames = await countFrames(req.args[req.args.length - 1]!, env);
  if (frames !== null && frames !== totalFrames) {
    throw new ChurchError('EXTERNAL', `the joined video has ${frames} frames where the source has ${totalFrames}; the output was not kept; retry the job, or set chunkSeconds to 0 to encode in one piece`);
  }
  progress.publish(true);
  return { plan, logTail: [ended.lastLog.logTail, exit.logTail].filter(Boolean).join('\n'), exitCode: exit.code ?? ended.lastLog.exitCode };
}

/** The join: stream copy, seconds even for hours of video. Pause suspends it in place; stop ends it. */
async function joinUnits(req: RunRequest, port: RunPort, units: readonly ChunkUnit[]): Promise<FfmpegExit> {
  const { run, workDir, args } = req;
  const listPath = join(workDir, 'chunks.ffconcat');
  writeFileSync(listPath, chunkConcatList(units.filter((u) => u.kind === 'video').map((u) => u.name)));
  const audio = units.find((u) => u.kind === 'audio');
  const joinArgs = buildJoinArgs(args, listPath, audio ? audio.path : null);
  let stopped = false;
  const handle = startFfmpeg(req.ffmpeg, joinArgs, { env: port.env, stallTimeoutMs: port.stallTimeoutMs, onProgress: () => undefined });
  run.control = {
    pause: () => handle.suspend(),
    resume: () => handle.resume(),
    stop: (graceMs) => {
      stopped = true;
      handle.terminate(graceMs);
    },
  };
  if (port.isPaused()) handle.suspend();
  port.record({ pid: handle.pid, args: joinArgs });
  const exit = await handle.done;
  run.control = null;
  if (stopped || run.stopReason) throw new StopSignal();
  return exit;
}
