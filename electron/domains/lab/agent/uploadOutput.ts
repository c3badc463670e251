import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';

/** An upload the studio answered, refusing it: sending it again gets the same answer. */
export class UploadRefused extends Error {}

/** Tries for a connection cut off (a reset, a studio restarting): the studio's own refusals are not retried. */
export const UPLOAD_TRIES = 3;

async function putOnce(file: string, url: string): Promise<void> {
  const size = statSync(file).size;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  if (res.status === 201) return;
  const why = (await res.text().catch(() => '')).trim().slice(0, 300);
  throw new UploadRefused(`the studio refused the output upload (HTTP ${res.status})${why ? `: ${why}` : '; check that the studio and agent share the lab secret'}`);
}

/** The network's own words for a failed fetch ("fetch failed" alone says nothing): its cause's code or message. */
function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

/**
 * Uploads the output to its signed URL. A connection cut off is tried again (UPLOAD_TRIES in all, a short pause
 * between); what the studio refused is not. Throws with the owner's words: refused (UploadRefused), or cut off.
 */
export async function uploadOutput(file: string, url: string, opts: { tries?: number; pauseMs?: number } = {}): Promise<void> {
  const tries = opts.tries ?? UPLOAD_TRIES;
  let last = '';
  for (let i = 1; i <= tries; i++) {
    try {
      return await putOnce(file, url);
    } catch (e) {
      if (e instanceof UploadRefused) throw e;
      last = networkCause(e);
      if (i < tries) await new Promise((r) => setTimeout(r, (opts.pauseMs ?? 500) * i));
    }
  }
  throw new Error(`the upload of the output to the studio was cut off ${tries} times (${last}); check the network between the agent and the studio, then retry the job`);
}
