import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UnrecoverableError, type Job as BullJob } from 'bullmq';
import { startFfmpeg, type FfmpegExit } from '../../jobs';
import { encoderFailedToOpen } from '../fallback';
import { retireEnvelope } from '../nonceStore';
import { cancelledKey } from '../names';
import { tagFailure, type LabJobBody, type LabJobResult } from '../protocol';
import type { SignedEnvelope } from '../signing';
import { labTrace } from '../trace';
import type { ActiveJob, AgentContext } from './agentTypes';
import { agentArgv, labArgvProblem, refusal, sourceUrlProblem } from './argvPolicy';
import { openJob, sha256File, signedProgress, signedResult } from './jobEnvelope';
import { resolveSource } from './jobArgs';
import { uploadOutput } from './uploadOutput';

/** Runs ffmpeg once for the job, reporting progress to BullMQ; the first spawn also tells the studio the host. */
function ffmpegRunner(ctx: AgentContext, job: BullJob, body: LabJobBody, entry: ActiveJob, io: { sources: string[]; output: string; bullId: string }) {
  const { opts } = ctx;
  let reported = false;
  return async (args: string[]): Promise<FfmpegExit> => {
    let last = 0;
    // Started so that it dies with the agent: a kill -9 of the agent must not leave it encoding on its own.
    const started = ctx.dieWithParent(ctx.ffmpegPath, agentArgv(args, io.sources, io.output));
    const handle = startFfmpeg(started.bin, started.args, {
      env: opts.env,
      stallTimeoutMs: 120_000,
      onProgress: (s) => {
        if (body.durationSec && s.outTimeSec !== null) entry.percent = Math.min(100, (s.outTimeSec / body.durationSec) * 100);
        const now = Date.now();
        if (!s.end && now - last < 250) return;
        last = now;
        void job.updateProgress(signedProgress(ctx, { bullId: io.bullId, outTimeSec: s.outTimeSec, fps: s.fps, speed: s.speed, end: s.end })).catch(() => undefined);
      },
    });
    entry.handle = handle;
    labTrace('agent.spawned', { bullId: io.bullId });
    void handle.done.then(() => labTrace('agent.ffmpegExited', { bullId: io.bullId }));
    // The studio learns the host once ffmpeg runs, not before: a report (a Redis round trip) ahead of the spawn
    // would delay every job's start by it. ffmpeg's own reports follow it on the same connection, in order.
    if (!reported) {
      reported = true;
      void job.updateProgress(signedProgress(ctx, { bullId: io.bullId, outTimeSec: null, fps: null, speed: null, end: false })).catch(() => undefined);
      void ctx.announce().catch(() => undefined);
    }
    if (entry.cancelled) handle.terminate(500);
    return handle.done;
  };
}

/** Refuses a job whose arguments (or fallback) no preset builds, before anything of it runs or is made. */
function refuseForeignArgv(ctx: AgentContext, job: BullJob, body: LabJobBody): void {
  const n = body.sources.length;
  const problem =
    labArgvProblem(body.args, n) ??
    (body.fallbackArgs ? labArgvProblem(body.fallbackArgs, n) : null) ??
    body.sources.map((s) => sourceUrlProblem(s.url)).find((p) => p !== null) ??
    null;
  if (problem) refuse(ctx, job, refusal(problem));
}

/** Why ffmpeg's run failed, for the studio: a signal nobody sent on purpose is tagged, so it reads as a kill. */
function ffmpegFailure(host: string, exit: FfmpegExit): string {
  if (exit.spawnError) return `ffmpeg could not start on ${host} (${exit.spawnError})`;
  if (exit.stalled) return `ffmpeg made no progress for 120 s on ${host} and was stopped; check that the source is readable from ${host}`;
  if (exit.signal) return tagFailure('killed', exit.signal, `ffmpeg was killed (${exit.signal}) on ${host}`);
  const tail = exit.logTail.split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 400);
  return `ffmpeg failed on ${host} (exit ${exit.code})${tail ? `: ${tail}` : ''}`;
}

/** A job the studio cancelled while no agent could hear it (this one was down): it is not started now. */
async function refuseCancelled(ctx: AgentContext, job: BullJob): Promise<void> {
  const cancelled = await ctx.conn.exists(cancelledKey(String(job.id))).catch(() => 0);
  if (!cancelled) return;
  ctx.opts.log(`skipped job ${job.id}: the studio cancelled it`);
  throw new UnrecoverableError('cancelled by the owner before an agent started it');
}

function refuse(ctx: AgentContext, job: BullJob, why: string): never {
  ctx.opts.log(`refused job ${job.id}: ${why}`);
  throw new UnrecoverableError(`the agent ${ctx.opts.name} refused the job: ${why}`);
}

/**
 * One encode from the queue: verify it, run ffmpeg with the agent's paths (falling back to the software encoder
 * when the hardware one does not open), upload the output to the studio. Errors that retrying cannot fix are
 * UnrecoverableError, so BullMQ does not hand the job to the next agent.
 */
export function encodeJobProcessor(ctx: AgentContext): (job: BullJob, token?: string) => Promise<SignedEnvelope<LabJobResult>> {
  const { opts } = ctx;
  return async (job, token) => {
    labTrace('agent.picked', { bullId: String(job.id) });
    await refuseCancelled(ctx, job);
    const { body, nonce, ttlMs } = await openJob(ctx, job, token);
    refuseForeignArgv(ctx, job, body);
    const bullId = String(job.id);
    const entry: ActiveJob = { studioJobId: body.studioJobId, handle: null, cancelled: ctx.paused && ctx.killed, percent: null, ...(ctx.killed ? { stopReason: 'stopped by the emergency kill switch' } : {}) };
    ctx.active.set(bullId, entry);
    const dir = join(ctx.workRoot, bullId.replace(/[^\w-]/g, '_'));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const output = join(dir, `out${body.outExt.replace(/[^\w.]/g, '')}`);
    const releases: (() => void)[] = [];
    try {
      labTrace('agent.prepared', { bullId });
      // A source read over HTTP goes through the loopback proxy: the signed URL stays off ffmpeg's command line.
      const sources = body.sources.map((s) => {
        const resolved = resolveSource(s, opts.pathMap);
        if (resolved !== s.url) return resolved;
        const local = ctx.sources.add(resolved);
        releases.push(local.remove);
        return local.local;
      });
      labTrace('agent.resolved', { bullId });
      const run = ffmpegRunner(ctx, job, body, entry, { sources, output, bullId });
      let exit = await run(body.args);
      let fellBack = false;
      if (exit.code !== 0 && !entry.cancelled && body.encoder && body.fallbackArgs && encoderFailedToOpen(exit.logTail)) {
        opts.log(`job ${bullId}: ${body.encoder} did not open; falling back to the software encoder`);
        fellBack = true;
        exit = await run(body.fallbackArgs);
      }
      if (entry.cancelled) throw new UnrecoverableError(entry.stopReason ?? 'cancelled by the owner');
      if (exit.code !== 0) throw new UnrecoverableError(ffmpegFailure(opts.name, exit));
      const digest = await sha256File(output);
      try {
        await uploadOutput(output, body.outputUrl);
      } catch (e) {
        throw new UnrecoverableError(tagFailure('upload', '', (e as Error).message));
      }
      labTrace('agent.uploaded', { bullId });
      return signedResult(ctx, { bullId, ...digest, logTail: `${fellBack ? `[lab] ${body.encoder} failed to open on ${opts.name}; fell back to the software encoder\n` : ''}${exit.logTail}`, fellBack });
    } finally {
      void retireEnvelope(ctx.conn, nonce, bullId, ttlMs).catch(() => undefined);
      for (const release of releases) release();
      ctx.active.delete(bullId);
      rmSync(dir, { recursive: true, force: true });
      void ctx.announce().catch(() => undefined);
    }
  };
}
