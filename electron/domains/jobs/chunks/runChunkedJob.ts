import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobProgress } from '../../../../shared/dto/jobs';
import { ChurchError } from '../../../../shared/errors';
import { probeFile } from '../../../platform/media/probe';
import { runProcess } from '../../../platform/process';
import type { ResolvedPreset } from '../../../platform/media/presets';
import { resolveBinary } from '../../../platform/media';
import { startFfmpeg } from '../ffmpegProcess';
import type { StoredJob } from '../JobStore';
import type { SourceMedia } from '../planJob';
import { StopSignal, type ActiveRun, type EngineContext, type SlotRequest } from '../runState';
import { localUnitRunner, UnitFailed, type ChunkUnit, type UnitRunner } from './chunkUnit';
import { clearUnits, fileSha256, PART_PREFIX, planKeyOf, readManifest, removePartialUnits, sameSource, sourceFingerprint, UNIT_PREFIX, verifiedUnits, writeManifest, type ChunkManifest } from './chunkWorkDir';
import { buildAudioPassArgs, buildChunkArgs, buildJoinArgs, chunkConcatList, planChunks, type ChunkSpec } from './planChunks';
import { readFrameTimeline } from './readFrameTimeline';

export interface ChunkedRunInput {
  ctx: EngineContext;
  job: StoredJob;
  run: ActiveRun;
  preset: ResolvedPreset;
  source: SourceMedia;
  /** The one-piece command (written to the job's temp output): chunks, audio pass and join derive from it. */
  oneArgs: string[];
  workDir: string;
  chunkSec: number;
  ffmpeg: string;
  /** Runs one unit; the local ffmpeg runner unless the lab supplies another. */
  runUnit?: UnitRunner;
}

export interface ChunkedOutcome {
  /** What was decided, for the job's plan ("12 chunks of ~60 s; resumed with 8 done"). */
  plan: string;
  logTail: string;
  exitCode: number | null;
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

/** Video frames in a finished output (packets counted from the container, no decoding). */
async function countFrames(path: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  const bin = resolveBinary('ffprobe', env);
  if (!bin.path) return null;
  const r = await runProcess(bin.path, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', `file:${path}`], { env, timeoutMs: 120_000 });
  const n = Number.parseInt(r.stdout.trim(), 10);
  return r.code === 0 && Number.isFinite(n) ? n : null;
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

/**
 * Runs a chunked job: plans chunks at the source's keyframes, keeps the finished ones of an earlier attempt
 * (same source, same plan, checksums intact), runs the rest as units through the queue's slots (the job's own
 * plus any the queue grants), then joins them without re-encoding into the job's temp output. Pause ends the
 * unit processes (their chunks run again after resume); stop ends them and leaves the finished ones on disk.
 * Returns null when the source has too few keyframes for two chunks (the caller encodes in one piece).
 */
export async function runChunkedJob(input: ChunkedRunInput): Promise<ChunkedOutcome | null> {
  const { ctx, job, run, source, oneArgs, workDir, chunkSec } = input;
  const env = ctx.env;
  const timeline = await readFrameTimeline(source.path, env);
  const chunks = planChunks(timeline, chunkSec);
  if (chunks.length < 2) return null;
  if (run.stopReason) throw new StopSignal();
  const segmentSec = input.preset.kind === 'hls' ? input.preset.params.segmentSec : null;
  const units = unitsFor(job.id, oneArgs, chunks, workDir, { overlayPeriodSec: await overlayPeriod(oneArgs, env), segmentSec });
  const totalFrames = chunks.reduce((n, c) => n + c.frames, 0);

  // What an earlier attempt left: kept only for the same source and the same plan, checksums verified.
  const fingerprint = sourceFingerprint(source.path);
  const planKey = planKeyOf(units.map((u) => u.args));
  let previous = readManifest(workDir);
  const notes: string[] = [];
  if (previous && !sameSource(previous.source, fingerprint)) {
    notes.push('the source file changed since the last attempt, so its finished chunks were discarded and the encode restarted from zero');
    previous = null;
    clearUnits(workDir);
  } else if (previous && previous.planKey !== planKey) {
    notes.push('the encode settings changed since the last attempt, so its finished chunks were discarded and the encode restarted from zero');
    previous = null;
    clearUnits(workDir);
  }
  removePartialUnits(workDir);
  const verified = previous ? await verifiedUnits(workDir, previous) : new Set<string>();
  const manifest: ChunkManifest = { version: 1, source: fingerprint, planKey, done: {} };
  for (const name of verified) manifest.done[name] = previous!.done[name]!;
  writeManifest(workDir, manifest);

  const doneBefore = units.filter((u) => verified.has(u.name) && u.kind === 'video').length;
  const plan = [
    `chunked: ${chunks.length} chunks of ~${chunkSec} s cut at keyframes, joined without re-encoding${units[0]?.kind === 'audio' ? ', audio encoded once' : ''}`,
    doneBefore > 0 ? `resumed with ${doneBefore} of ${chunks.length} chunks already done` : null,
    ...notes.map((n) => `note: ${n}`),
  ].filter(Boolean).join('; ');

  const local = localUnitRunner(input.ffmpeg, env, ctx.opts.stallTimeoutMs ?? 120_000);
  // With the lab on, its agents take the units (each one a queued lab job); without it they run here.
  const runUnit = input.runUnit ?? ctx.remote()?.chunkRunner?.(job.kind, local) ?? local;
  const pending = units.filter((u) => !verified.has(u.name));
  const totalSec = units.reduce((s, u) => s + u.durationSec, 0);
  let doneSec = units.filter((u) => verified.has(u.name)).reduce((s, u) => s + u.durationSec, 0);
  const doneAtStart = doneSec;
  const startedMs = Date.now();
  run.durationSec = totalSec;

  interface Flight { handle: { terminate(ms: number): void } | null; outSec: number; fps: number | null; released: boolean }
  const inflight = new Map<ChunkUnit, Flight>();
  let paused = ctx.isPaused();
  let stopped = false;
  let failure: unknown = null;
  let lastLog = '';
  let lastExit: number | null = null;
  let wakeUp: (() => void) | null = null;
  const changed = () => {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };
  const nextChange = () => new Promise<void>((r) => (wakeUp = r));
  const pauseGrace = ctx.opts.cancelGraceMs ?? 2000;

  const videoUnits = units.filter((u) => u.kind === 'video');
  const publish = (force = false) => {
    const inFlightSec = [...inflight.entries()].reduce((s, [u, f]) => s + Math.min(f.outSec, u.durationSec), 0);
    const at = doneSec + inFlightSec;
    const elapsed = (Date.now() - startedMs) / 1000;
    const rate = elapsed > 0 ? (at - doneAtStart) / elapsed : 0;
    const fps = [...inflight.values()].reduce((s, f) => s + (f.fps ?? 0), 0);
    const p: JobProgress = {
      jobId: job.id,
      percent: totalSec > 0 ? Math.min(99.9, Math.round((at / totalSec) * 1000) / 10) : null,
      fps: fps > 0 ? fps : null,
      speed: rate > 0 ? Math.round(rate * 100) / 100 : null,
      etaSec: rate > 0 && at > doneAtStart ? Math.round(((totalSec - at) / rate) * 10) / 10 : null,
      outTimeSec: at,
      chunks: { done: videoUnits.filter((u) => u.name in manifest.done).length, running: [...inflight.keys()].filter((u) => u.kind === 'video').length, total: videoUnits.length },
    };
    ctx.publishProgress(run, p, force);
  };

  run.control = {
    pause() {
      paused = true;
      // Released, not suspended: a paused chunked job holds no process, and quitting now loses nothing finished.
      for (const f of inflight.values()) {
        f.released = true;
        f.handle?.terminate(pauseGrace);
      }
      joinHandle?.suspend();
      changed();
    },
    resume() {
      paused = false;
      joinHandle?.resume();
      changed();
      topUp();
    },
    stop(graceMs) {
      stopped = true;
      for (const f of inflight.values()) f.handle?.terminate(graceMs);
      joinHandle?.terminate(graceMs);
      changed();
    },
  };
  let joinHandle: ReturnType<typeof startFfmpeg> | null = null;
  if (run.stopReason) stopped = true;
  // The queue was paused before this run could take pause requests: it holds no process, so it is paused.
  if (paused && ctx.store.get(job.id)?.status === 'running') ctx.changed(ctx.store.transition(job.id, 'paused'));

  /** Runs one pending unit; false when there was none to run. */
  const runOne = async (): Promise<boolean> => {
    const u = pending.shift();
    if (!u) return false;
    const f: Flight = { handle: null, outSec: 0, fps: null, released: false };
    inflight.set(u, f);
    topUp();
    try {
      await runUnit(u, {
        onStart: (h) => {
          f.handle = h;
          if (paused || stopped) {
            f.released = paused;
            h.terminate(pauseGrace);
          }
        },
        onProgress: (s) => {
          f.outSec = s.outTimeSec ?? f.outSec;
          f.fps = s.fps;
          publish();
        },
      });
      // A chunk short of frames (an encoder stopped early yet exiting 0) would only show at the join: catch it here.
      if (u.frames !== null) {
        const got = await countFrames(u.path, env);
        if (got !== null && got !== u.frames) {
          rmSync(u.path, { force: true });
          throw new UnitFailed(`${u.label} came out with ${got} frames instead of ${u.frames}; retry the job, or set chunkSeconds to 0 to encode in one piece`, '', 0);
        }
      }
      const st = statSync(u.path);
      manifest.done[u.name] = { sha256: await fileSha256(u.path), size: st.size };
      writeManifest(workDir, manifest);
      doneSec += u.durationSec;
      inflight.delete(u);
      publish();
    } catch (e) {
      inflight.delete(u);
      rmSync(u.partPath, { force: true });
      if (e instanceof UnitFailed) {
        lastLog = e.logTail;
        lastExit = e.exitCode;
      }
      if (f.released && !stopped) pending.unshift(u);
      else if (!stopped) {
        failure ??= e;
        for (const other of inflight.values()) other.handle?.terminate(pauseGrace);
      }
    } finally {
      changed();
    }
    return true;
  };

  const requests = new Set<SlotRequest>();
  const extraWorkers = new Set<Promise<void>>();
  const halted = () => paused || stopped || failure !== null;
  function topUp(): void {
    while (!halted() && extraWorkers.size + requests.size < pending.length) {
      const req = ctx.requestSlot(job.id, job.priority);
      requests.add(req);
      void req.granted.then((slot) => {
        requests.delete(req);
        if (halted() || pending.length === 0) {
          slot.release();
          return;
        }
        const w = (async () => {
          try {
            while (!halted() && (await runOne()));
          } finally {
            slot.release();
          }
        })();
        extraWorkers.add(w);
        void w.finally(() => {
          extraWorkers.delete(w);
          changed();
        });
      });
    }
  }

  // The job's own slot: runs units like any extra one, and waits through pauses.
  try {
    publish(true);
    topUp();
    for (;;) {
      if (stopped || failure !== null) break;
      if (pending.length === 0 && inflight.size === 0) break;
      if (paused || pending.length === 0) {
        await nextChange();
        continue;
      }
      await runOne();
    }
  } finally {
    for (const r of requests) r.cancel();
    requests.clear();
    while (extraWorkers.size > 0) await Promise.all([...extraWorkers]);
    run.control = null;
  }
  if (stopped || run.stopReason) throw new StopSignal();
  if (failure !== null) throw failure;

  // The join: stream copy, seconds even for hours of video.
  const listPath = join(workDir, 'chunks.ffconcat');
  writeFileSync(listPath, chunkConcatList(units.filter((u) => u.kind === 'video').map((u) => u.name)));
  const audio = units.find((u) => u.kind === 'audio');
  const joinArgs = buildJoinArgs(oneArgs, listPath, audio ? audio.path : null);
  run.control = {
    pause: () => joinHandle?.suspend(),
    resume: () => joinHandle?.resume(),
    stop: (graceMs) => {
      stopped = true;
      joinHandle?.terminate(graceMs);
    },
  };
  joinHandle = startFfmpeg(input.ffmpeg, joinArgs, { env, stallTimeoutMs: ctx.opts.stallTimeoutMs ?? 120_000, onProgress: () => undefined });
  if (ctx.isPaused()) joinHandle.suspend();
  ctx.store.update(job.id, { pid: joinHandle.pid, args: joinArgs });
  const exit = await joinHandle.done;
  run.control = null;
  if (stopped || run.stopReason) throw new StopSignal();
  if (exit.code !== 0) throw new UnitFailed(`joining the ${chunks.length} chunks failed (exit ${exit.code}${exit.signal ? `, ${exit.signal}` : ''}); retry the job (finished chunks are kept)`, exit.logTail, exit.code);
  const out = oneArgs[oneArgs.length - 1]!;
  const frames = await countFrames(out, env);
  if (frames !== null && frames !== totalFrames) {
    throw new ChurchError('EXTERNAL', `the joined video has ${frames} frames where the source has ${totalFrames}; the output was not kept; retry the job, or set chunkSeconds to 0 to encode in one piece`);
  }
  publish(true);
  return { plan, logTail: [lastLog, exit.logTail].filter(Boolean).join('\n'), exitCode: exit.code ?? lastExit };
}
