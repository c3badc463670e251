import type { Worker } from 'bullmq';
import { runAgentKill } from '../labKill';
import { CONTROL_MAX_AGE_MS } from '../limits';
import type { PersistentNonces } from '../nonceStore';
import type { ControlBody } from '../protocol';
import { SignatureError, verifyMessage, type SignedEnvelope } from '../signing';
import { labTrace } from '../trace';
import type { AgentContext } from './agentTypes';

export { CONTROL_MAX_AGE_MS };

/** The kill switch's "stop jobs" on an agent: nothing new is taken, then every encode here stops at once. */
async function stopEveryJob(ctx: AgentContext, workers: Worker[]): Promise<{ stopped: number }> {
  // BullMQ records them as failed (not retried).
  labTrace('agent.stopJobs');
  ctx.paused = true;
  ctx.killed = true;
  for (const w of workers) void w.pause(true).catch(() => undefined);
  const jobs = [...ctx.active.values()];
  for (const j of jobs) {
    j.cancelled = true;
    j.stopReason = 'stopped by the emergency kill switch';
    // No grace: an emergency stop kills at once, and a killed job's output is thrown away anyway.
    j.handle?.terminate(0);
  }
  labTrace('agent.signalled');
  await Promise.all(jobs.map((j) => j.handle?.done));
  return { stopped: jobs.length };
}

/**
 * The studio's control messages (cancel, pause, resume a job; pause this agent; the kill switch). Each must
 * carry the lab's signature, be at most seconds old and not a replay — also not of one this agent took before it
 * restarted (the nonces are kept in Redis); anything else is one line in the log.
 */
export function controlHandler(ctx: AgentContext, workers: Worker[], nonces: PersistentNonces): (raw: string) => Promise<void> {
  const { opts } = ctx;
  return async (raw) => {
    let body: ControlBody;
    try {
      const parsed = JSON.parse(raw) as unknown;
      body = verifyMessage<ControlBody>(ctx.cred.studio, parsed, { maxAgeMs: CONTROL_MAX_AGE_MS, replay: null });
      if (!(await nonces.claim((parsed as SignedEnvelope<ControlBody>).nonce))) throw new SignatureError('replayed');
    } catch (e) {
      opts.log(`ignored a control message: ${e instanceof SignatureError ? e.reason : e instanceof SyntaxError ? 'not JSON' : `its nonce could not be recorded (${(e as Error).message})`}`);
      return;
    }
    act(ctx, workers, body);
  };
}

function act(ctx: AgentContext, workers: Worker[], body: ControlBody): void {
  const { opts } = ctx;
  if (body.type === 'cancel' || body.type === 'pause' || body.type === 'resume') {
    const j = ctx.active.get(body.bullId);
    if (!j) return;
    if (body.type === 'cancel') {
      j.cancelled = true;
      j.handle?.terminate(500);
    } else if (body.type === 'pause') j.handle?.suspend();
    else j.handle?.resume();
  } else if (body.type === 'kill') {
    labTrace('agent.killReceived', { runId: body.runId });
    void runAgentKill({
      key: ctx.cred.key,
      redis: ctx.conn,
      host: opts.name,
      dataDir: opts.dataDir,
      env: opts.env,
      runId: body.runId,
      dryRun: body.dryRun,
      reason: body.reason,
      stopJobs: () => stopEveryJob(ctx, workers),
      log: opts.log,
    }).catch((e: unknown) => opts.log(`kill switch run failed: ${(e as Error).message}`));
  } else if (body.type === 'pause-agent' && body.agent === opts.name) {
    ctx.paused = body.paused;
    if (!ctx.paused) ctx.killed = false;
    for (const w of workers) {
      if (ctx.paused) void w.pause(true);
      // An agent that cannot verify the studio's jobs stays out of the queue whatever the switch says.
      else if (!ctx.secretDiffers) w.resume();
    }
    void ctx.announce().catch(() => undefined);
  }
}
