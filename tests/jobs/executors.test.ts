import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChurchError } from '../../shared/errors';
import { resolveBinary } from '../../electron/platform/media';
import { probeFile } from '../../electron/platform/media/probe';
import { resolveParams } from '../../electron/platform/media/presets';
import { UnitFailed } from '../../electron/domains/jobs/chunks/chunkUnit';
import { outcomeOfError, type RunPort, type RunRequest } from '../../electron/domains/jobs/executor';
import { chunkedExecutor } from '../../electron/domains/jobs/executors/chunkedExecutor';
import { runLocally } from '../../electron/domains/jobs/executors/localExecutor';
import { ffmpegProblem } from '../../electron/domains/jobs/ffmpegFailure';
import type { StoredJob } from '../../electron/domains/jobs/JobStore';
import { newActiveRun, StopSignal } from '../../electron/domains/jobs/runState';
import { labAccepts, outcomeOfLabEnd, runOnLab } from '../../electron/domains/lab/labExecutor';
import type { LabRunEnd, LabStarter } from '../../electron/domains/lab/labRun';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

const ffmpeg = () => resolveBinary('ffmpeg').path!;

/** A port that records what the executor told the engine. */
function recordingPort(opts: { paused?: boolean } = {}) {
  const seen = { pids: [] as (number | null)[], shownPaused: 0, encodeDone: 0, hosts: [] as (string | undefined)[] };
  const port: RunPort = {
    env: process.env,
    stallTimeoutMs: 30_000,
    cancelGraceMs: 500,
    isPaused: () => opts.paused ?? false,
    record: (p) => {
      if ('pid' in p) seen.pids.push(p.pid ?? null);
    },
    showPaused: () => seen.shownPaused++,
    progress: (_s, host) => seen.hosts.push(host),
    publishProgress: () => undefined,
    requestSlot: () => ({ granted: new Promise(() => undefined), cancel: () => undefined }),
    encodeDone: () => seen.encodeDone++,
  };
  return { port, seen };
}

function request(over: Partial<RunRequest> & { kind?: StoredJob['kind'] } = {}): RunRequest {
  const dir = tempDir('church-exec-');
  const job = { id: 7, kind: over.kind ?? 'web', priority: 0 } as StoredJob;
  return {
    job,
    attempt: 1,
    run: newActiveRun(job.id),
    preset: resolveParams('web', {}),
    sources: [],
    args: ['-hide_banner', '-i', join(dir, 'missing.mp4'), '-y', join(dir, 'out.mp4')],
    tempPath: join(dir, 'out.mp4'),
    workDir: dir,
    durationSec: 1,
    ffmpeg: ffmpeg(),
    keepStderr: null,
    portable: true,
    chunkSec: null,
    ...over,
  };
}

describe('the local executor', () => {
  it('a real ffmpeg failure: failed, with the log line that says why, the log tail and the exit code', async () => {
    const { port, seen } = recordingPort();
    const req = request();
    const out = await runLocally(req, port);
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.exitCode).not.toBe(0);
    expect(out.exitCode).not.toBeNull();
    expect(out.logTail).toMatch(/missing\.mp4/);
    expect(out.reason).toMatch(new RegExp(`^ffmpeg failed \\(exit ${out.exitCode}\\): .*missing\\.mp4.*; check the source file \\(rescan it in the library\\) and the preset, then retry$`));
    expect(seen.pids).toHaveLength(1);
    expect(seen.pids[0]).toBeGreaterThan(0);
  });

  it('a binary that cannot start: failed, saying which ffmpeg and what to do', async () => {
    const { port } = recordingPort();
    const out = await runLocally(request({ ffmpeg: '/nonexistent/ffmpeg' }), port);
    expect(out).toMatchObject({ kind: 'failed', exitCode: null, reason: expect.stringMatching(/^ffmpeg at \/nonexistent\/ffmpeg could not start \(ENOENT.*\); reinstall ffmpeg or set FFMPEG_PATH$/) });
  });

  it('a success: done, with the output at the temp path and exit code 0', async () => {
    const dir = tempDir('church-exec-');
    const { port } = recordingPort();
    const out = await runLocally(request({ args: ['-hide_banner', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5:duration=0.4', '-y', join(dir, 'o.mp4')], tempPath: join(dir, 'o.mp4') }), port);
    expect(out).toMatchObject({ kind: 'done', output: join(dir, 'o.mp4'), exitCode: 0, kept: [], planNote: null });
  });

  it('stopped on purpose: cancelled, or interrupted when the studio closes, with the reason the stop gave', async () => {
    const dir = tempDir('church-exec-');
    // A wrapper that waits to be stopped, so the stop is not a race with a quick encode.
    const slow = join(dir, 'ffmpeg');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(slow, 0o755);
    for (const interrupt of [false, true]) {
      const { port, seen } = recordingPort();
      const req = request({ ffmpeg: slow });
      const running = runLocally(req, port);
      await expect.poll(() => seen.pids.length).toBe(1);
      req.run.interrupt = interrupt;
      req.run.stopReason = 'cancelled by the owner';
      req.run.handle!.terminate(100);
      expect(await running).toMatchObject({ kind: 'stopped', as: interrupt ? 'interrupted' : 'cancelled', reason: 'cancelled by the owner' });
    }
  });

  it('a paused queue: the process is suspended as it starts and the job shows paused', async () => {
    const { port, seen } = recordingPort({ paused: true });
    const req = request();
    const running = runLocally(req, port);
    expect(seen.shownPaused).toBe(1);
    req.run.handle!.resume();
    expect((await running).kind).toBe('failed');
  });
});

describe('ffmpeg failure messages (one place for a whole job and a unit)', () => {
  const exit = { code: 1, signal: null, spawnError: null, logTail: 'frame=1\nError while decoding stream #0:0\nsome trailer', stalled: false };
  it('words a unit apart: its label, "the source", finished chunks kept', () => {
    expect(ffmpegProblem(exit, '/bin/ffmpeg', 120_000)?.message).toBe('ffmpeg failed (exit 1): Error while decoding stream #0:0; check the source file (rescan it in the library) and the preset, then retry');
    expect(ffmpegProblem(exit, '/bin/ffmpeg', 120_000, { unit: 'chunk 2 of 3 (from 0:10)' })?.message).toBe('chunk 2 of 3 (from 0:10): ffmpeg failed (exit 1): Error while decoding stream #0:0; check the source and the preset, then retry (finished chunks are kept)');
    expect(ffmpegProblem({ ...exit, stalled: true }, '/bin/ffmpeg', 60_000, { unit: 'the audio pass' })?.message).toBe('the audio pass: ffmpeg made no progress for 60 s and was stopped; check that the source is readable, then retry (finished chunks are kept)');
    expect(ffmpegProblem({ ...exit, code: null, signal: 'SIGKILL' }, '/bin/ffmpeg', 60_000)?.message).toBe('ffmpeg was killed (SIGKILL) by something outside the studio; retry the job');
    expect(ffmpegProblem({ ...exit, code: 0 }, '/bin/ffmpeg', 60_000)).toBeNull();
  });
});

describe('thrown errors as outcomes', () => {
  it('a unit failure keeps its log; a ChurchError its message; anything else says the job failed; a stop is a stop', () => {
    const run = newActiveRun(1);
    expect(outcomeOfError(new UnitFailed('chunk 1 of 2: broke', 'the log', 3), run)).toEqual({ kind: 'failed', reason: 'chunk 1 of 2: broke', logTail: 'the log', exitCode: 3 });
    expect(outcomeOfError(new ChurchError('EXTERNAL', 'said so'), run)).toEqual({ kind: 'failed', reason: 'said so', logTail: '', exitCode: null });
    expect(outcomeOfError(new Error('EACCES'), run, { logTail: 'kept', exitCode: 0 })).toEqual({ kind: 'failed', reason: 'the job failed: EACCES', logTail: 'kept', exitCode: 0 });
    run.stopReason = 'the studio closed while this job was running';
    run.interrupt = true;
    expect(outcomeOfError(new StopSignal(), run)).toMatchObject({ kind: 'stopped', as: 'interrupted', reason: run.stopReason });
  });
});

describe('the chunked executor', () => {
  it('declines a source with too few keyframes for two chunks (it is encoded in one piece)', async () => {
    const dir = tempDir('church-exec-');
    const clip = await makeClip(join(dir, 'one.mp4'), { seconds: 1 });
    const { port } = recordingPort();
    const ex = chunkedExecutor({ remoteUnits: () => null });
    const req = request({ chunkSec: 2, sources: [{ videoId: 1, path: clip, probe: await probeFile(clip) }] });
    expect(ex.accepts(req)).toBe(true);
    expect(ex.accepts({ ...req, chunkSec: null })).toBe(false);
    expect(await ex.run(req, port)).toBeNull();
  });
});

describe('the lab executor', () => {
  const lab = (end: LabRunEnd): LabStarter => ({
    capacity: () => 1,
    start: (r) => {
      r.onProgress({ outTimeSec: 0.5, fps: 30, speed: 1, frame: null, end: false }, 'gpu-box');
      return { pid: null, done: Promise.resolve(end), terminate: () => undefined, suspend: () => true, resume: () => true };
    },
  });

  it('takes only the kinds it runs, with nothing to hand back beside the output', () => {
    expect(labAccepts(request({ kind: 'web' }))).toBe(true);
    expect(labAccepts(request({ kind: 'hls' }))).toBe(false);
    expect(labAccepts(request({ kind: 'web', portable: false }))).toBe(false);
  });

  it('maps a typed end to the outcome, worded as a local ffmpeg failure', () => {
    expect(outcomeOfLabEnd({ kind: 'done', logTail: 'ok' }, '/tmp/out.mp4')).toEqual({ kind: 'done', output: '/tmp/out.mp4', kept: [], planNote: null, logTail: 'ok', exitCode: 0 });
    expect(outcomeOfLabEnd({ kind: 'failed', reason: 'the lab could not take the job: READONLY', logTail: 'error: the lab could not take the job: READONLY' }, '/o')).toEqual({
      kind: 'failed',
      reason: 'ffmpeg failed (exit 1): error: the lab could not take the job: READONLY; check the source file (rescan it in the library) and the preset, then retry',
      logTail: 'error: the lab could not take the job: READONLY',
      exitCode: 1,
    });
    expect(outcomeOfLabEnd({ kind: 'stopped', signal: 'SIGTERM', logTail: 'the studio closed' }, '/o')).toEqual({ kind: 'failed', reason: 'ffmpeg was killed (SIGTERM) by something outside the studio; retry the job', logTail: 'the studio closed', exitCode: null });
  });

  it('runs a job on an agent: progress names the host, the slot is freed, a stop is a stop', async () => {
    const { port, seen } = recordingPort();
    const done = await runOnLab(lab({ kind: 'failed', reason: 'the agent refused the job', logTail: 'error: the agent refused the job' }), request(), port);
    expect(done).toMatchObject({ kind: 'failed', exitCode: 1 });
    expect(seen).toMatchObject({ pids: [null], encodeDone: 1, hosts: ['gpu-box'] });
    const req = request();
    req.run.stopReason = 'cancelled by the owner';
    expect(await runOnLab(lab({ kind: 'stopped', signal: 'SIGTERM', logTail: 'cancelled' }), req, port)).toEqual({ kind: 'stopped', as: 'cancelled', reason: 'cancelled by the owner', logTail: 'cancelled', exitCode: null });
  });
});
