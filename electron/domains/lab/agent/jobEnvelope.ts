import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UnrecoverableError, WaitingError, type Job as BullJob } from 'bullmq';
import { SECRET_CHECK_KEY } from '../names';
import type { LabJobBody, LabJobProgress, LabJobResult } from '../protocol';
import { openPayload } from '../sealing';
import { SignatureError, signMessage, verifyMessage, type SignedEnvelope } from '../signing';
import type { AgentContext } from './agentTypes';

const JOB_MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * Opens a job: unseals its payload with the lab's job key and checks the studio's signature. When it does not
 * open here, either this agent's secret differs (the studio's key in Redis is not ours: the job goes back to the
 * queue for another agent, never failed) or someone wrote the job into Redis without the studio's key (it is
 * refused for good: no agent could run it).
 */
export async function openJob(ctx: AgentContext, job: BullJob, token: string | undefined): Promise<LabJobBody> {
  const bullId = String(job.id);
  const envelope = openPayload(ctx.cred.seal, bullId, job.data);
  let why: string;
  if (envelope === null) why = 'its payload does not open with this agent\'s key';
  else {
    try {
      return verifyMessage<LabJobBody>(ctx.cred.studio, envelope, { maxAgeMs: JOB_MAX_AGE_MS, replay: null });
    } catch (e) {
      why = `the studio's signature does not check (${e instanceof SignatureError ? e.reason : 'malformed'})`;
    }
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
