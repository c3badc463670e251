import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A job's payload in Redis, sealed with AES-256-GCM under the lab's job key (identity.ts): its transfer URLs work
 * as bearer credentials, so whoever can read Redis must not see them. The BullMQ job id is the additional data:
 * a sealed payload copied under another job id does not open.
 */
export interface SealedPayload {
  sealed: string;
}

const VERSION = 'v1.';

function aad(jobId: string): Buffer {
  return Buffer.from(`church-lab-job\n${jobId}`);
}

export function sealPayload(key: Buffer, jobId: string, value: unknown): SealedPayload {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad(jobId));
  const body = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
  return { sealed: VERSION + Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url') };
}

/** The payload, or null when it is not sealed under this key for this job id (another secret, tampered, moved). */
export function openPayload(key: Buffer, jobId: string, data: unknown): unknown {
  const text = data && typeof data === 'object' ? (data as Partial<SealedPayload>).sealed : undefined;
  if (typeof text !== 'string' || !text.startsWith(VERSION)) return null;
  const raw = Buffer.from(text.slice(VERSION.length), 'base64url');
  if (raw.length < 12 + 16) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(aad(jobId));
    d.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
