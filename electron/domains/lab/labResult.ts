import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { verifyFromAgent } from './agentSigned';
import type { StudioKeys } from './identity';
import type { LabJobProgress, LabJobResult } from './protocol';
import { SignatureError } from './signing';

export type ResultCheck = { ok: true; result: LabJobResult } | { ok: false; reason: string };

async function digest(file: string): Promise<{ sha256: string; size: number } | null> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch {
    return null;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * A progress report of this job signed by the agent it names; null for anything else (the studio shows the host,
 * and takes it as the job's taker, only from these).
 */
export function openProgress(keys: StudioKeys, bullId: string, data: unknown): LabJobProgress | null {
  try {
    const p = verifyFromAgent<LabJobProgress>(keys, data, { maxAgeMs: Number.MAX_SAFE_INTEGER, replay: null });
    return p.bullId === bullId ? p : null;
  } catch {
    return null;
  }
}

/**
 * Whether a job's result may be registered: signed by the agent that took the job (its own key), for this job id,
 * by an agent the studio trusts, and the file that arrived has the sha256 and size it signed. Anything else is
 * refused with what happened: the output is never registered.
 */
export async function checkLabResult(
  keys: StudioKeys,
  o: { bullId: string; takenBy: string | null; file: string; distrust(host: string): string | null },
  value: unknown,
): Promise<ResultCheck> {
  let r: LabJobResult;
  try {
    r = verifyFromAgent<LabJobResult>(keys, value, { maxAgeMs: Number.MAX_SAFE_INTEGER, replay: null });
  } catch (e) {
    const why = e instanceof SignatureError ? e.reason : 'malformed';
    return { ok: false, reason: `the job's result in Redis is not signed by a lab agent (${why}): something other than an agent of this lab wrote it; its output was not registered; retry the job` };
  }
  if (r.bullId !== o.bullId) return { ok: false, reason: `the result ${r.host} signed is for another job (${String(r.bullId).slice(0, 80)}); its output was not registered; retry the job` };
  if (o.takenBy && r.host !== o.takenBy) return { ok: false, reason: `the result is signed by the agent ${r.host}, but ${o.takenBy} took the job; its output was not registered; retry the job` };
  const distrust = o.distrust(r.host);
  if (distrust) return { ok: false, reason: `the agent ${r.host} is not trusted (${distrust}); its output was not registered` };
  if (typeof r.sha256 !== 'string' || typeof r.size !== 'number') return { ok: false, reason: `the result of ${r.host} names no sha256 and size of its output (an older church agent: update it); its output was not registered` };
  const got = await digest(o.file);
  if (!got) return { ok: false, reason: `the agent ${r.host} reported success but its output never arrived; retry the job` };
  if (got.sha256 !== r.sha256 || got.size !== r.size) {
    return { ok: false, reason: `the uploaded output (${got.size} bytes, sha256 ${got.sha256.slice(0, 12)}…) is not the one ${r.host} signed (${r.size} bytes, sha256 ${r.sha256.slice(0, 12)}…): something else uploaded to the job's address; it was not registered; retry the job` };
  }
  return { ok: true, result: r };
}
