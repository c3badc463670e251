import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UnrecoverableError, WaitingError, type Job as BullJob } from 'bullmq';
import { LAB_JOB_MAX_MS, nonceTtlMs } from '../limits';
import { SECRET_CHECK_KEY } from '../names';
import { claimEnvelope } from '../nonceStore';
import type { LabJobBody, LabJobProgress, LabJobResult } from '../protocol';
import { openPayload } from '../sealing';
import { SignatureError, signMessage, verifyMessage, type SignedEnvelope } from '../signing';
import type { AgentContext } from './agentTypes';

export interface OpenedJob {
  body: LabJobBody;
  /** The envelope's nonce, retired once the job ends (single use). */
  nonce: string;
  ttlMs: number;
}

/**
 * Opens a job: unseals its payload with the lab's job key, checks the studio's signature, then that it is used once,
 * for its own BullMQ job and within its own time. When it does not open here, either this agent's secret differs
 * (the studio's key in Redis is not ours: the job goes back to the queue for another agent, never failed) or
 * someone wrote the job into Redis without the studio's key (it is refused for good: no agent could run it).
 */
export async function openJob(ctx: AgentContext, job: BullJob, token: string | undefined): Promise<OpenedJob> {
  const bullId = String(job.id);
  const envelope = openPayload(ctx.cred.seal, bullId, job.data);
  let why = "its payload does not open with this agent's key";
  if (envelope !== null) {
    let body: LabJobBody | null = null;
    try {
      body = verifyMessage<LabJobBody>(ctx.cred.studio, envelope, { maxAgeMs: LAB_JOB_MAX_MS, replay: null });
    } catch (e) {
      why = `the studio's signature does not check (${e instanceof SignatureError ? e.reason : 'malformed'})`;
    }
    if (body) return claimOnce(ctx, job, body, (envelope as SignedEnvelope<LabJobBody>).nonce);
  }
  const published = await ctx.conn.get(SECRET_CHECK_KEY).catch(() => null);
  if (published === ctx.cred.studioId) {
    ctx.opts.log(`refused job ${bullId}: ${why}, though this agent has the studio's key: it was not written by the studio`);
    throw new UnrecoverableError(`the lab agent ${ctx.opts.name} refused the job: ${why}; it was not written by the studio (someone else writes to the lab's Redis)`);
  }
  ctx.noteSecretDiffers(`job ${bullId}: ${why}`);
  await job.moveToWait(token);
  throw new WaitingError();
}

/**
 * A genuine envelope is still refused when it is a copy: signed for another BullMQ job, past its own time, or used
 * before (only BullMQ's takeover of a stalled job opens it again). That fails this BullMQ job only, without the
 * secret hint: a replay is not a secret problem.
 */
async function claimOnce(ctx: AgentContext, job: BullJob, body: LabJobBody, nonce: string): Promise<OpenedJob> {
  try {
    if (body.bullId !== String(job.id)) throw new SignatureError('replayed', `signed for another BullMQ job (${String(body.bullId).slice(0, 80)}), replayed under ${job.id}`);
    const now = Date.now();
    if (!(body.expiresAt > now)) throw new SignatureError('stale', "its time is up (the job's own timeout)");
    // Remembered while the envelope could pass the checks above.
    const ttlMs = nonceTtlMs(body.expiresAt - now);
    const claim = await claimEnvelope(ctx.conn, nonce, body.bullId, (job.stalledCounter ?? 0) > 0, ttlMs);
    if (claim === 'replayed') throw new SignatureError('replayed', 'replayed: this envelope was already used');
    return { body, nonce, ttlMs };
  } catch (e) {
    ctx.opts.log(`refused job ${job.id}: ${(e as Error).message}`);
    throw new UnrecoverableError(`the agent ${ctx.opts.name} refused the job: ${(e as Error).message}`);
  }
}

/** A progress report signed with this agent's key (the studio shows a host only from a signed report). */
export function signedProgress(ctx: AgentContext, p: Omit<LabJobProgress, 'host'>): SignedEnvelope<LabJobProgress> {
  return signMessage<LabJobProgress>(ctx.cred.key, { ...p, host: ctx.cred.name });
}

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** The job's result, signed with this agent's key over the job id and the uploaded output's sha256 and size. */
export function signedResult(ctx: AgentContext, r: Omit<LabJobResult, 'host'>): SignedEnvelope<LabJobResult> {
  return signMessage<LabJobResult>(ctx.cred.key, { ...r, host: ctx.cred.name });
}
