import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Messages between the studio and its agents travel through Redis, which anyone on the lab network with the Redis
 * password can write to. Each message carries an HMAC-SHA256 over its body, a timestamp and a nonce made with
 * the lab secret: an agent drops unsigned, forged, stale or replayed messages.
 */
export interface SignedEnvelope<T> {
  body: T;
  ts: number;
  nonce: string;
  sig: string;
}

/**
 * What signs and checks a message: an HMAC key two parties share (an agent's own key, see identity.ts), or the
 * studio's Ed25519 pair (agents hold only its public half, so no agent can speak for the studio).
 */
export interface MessageKey {
  sign(data: string): string;
  verify(data: string, sig: string): boolean;
}

/** A raw Buffer is an HMAC-SHA256 key (URLs, and older callers). */
export type SigningKey = Buffer | MessageKey;

export function hmacKey(secret: Buffer): MessageKey {
  const sign = (data: string) => createHmac('sha256', secret).update(data).digest('base64url');
  return {
    sign,
    verify(data, sig) {
      const want = Buffer.from(sign(data));
      const got = Buffer.from(sig);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}

function keyOf(k: SigningKey): MessageKey {
  return Buffer.isBuffer(k) ? hmacKey(k) : k;
}

const signed = (body: string, ts: number, nonce: string) => `${ts}\n${nonce}\n${body}`;

export function signMessage<T>(key: SigningKey, body: T, now = Date.now()): SignedEnvelope<T> {
  const nonce = randomBytes(12).toString('base64url');
  return { body, ts: now, nonce, sig: keyOf(key).sign(signed(JSON.stringify(body), now, nonce)) };
}

export type VerifyFailure = 'malformed' | 'bad-signature' | 'stale' | 'replayed';

export class SignatureError extends Error {
  constructor(readonly reason: VerifyFailure, detail?: string) {
    super(`lab message refused: ${detail ?? reason}`);
  }
}

/** Remembers nonces for as long as a message counts as fresh, so a replay inside the window is caught. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs: number) {}

  /** False when the nonce was already used. */
  remember(nonce: string, now: number): boolean {
    for (const [n, at] of this.seen) {
      if (now - at <= this.windowMs * 2) break;
      this.seen.delete(n);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    return true;
  }
}

/**
 * Checks an envelope; returns its body or throws a SignatureError. `replay` null skips the nonce check (a job a
 * second agent takes over after a stall carries the same envelope, legitimately).
 */
export function verifyMessage<T>(key: SigningKey, raw: unknown, opts: { maxAgeMs: number; replay: NonceCache | null; now?: number }): T {
  const now = opts.now ?? Date.now();
  if (!raw || typeof raw !== 'object') throw new SignatureError('malformed');
  const e = raw as Partial<SignedEnvelope<T>>;
  if (typeof e.ts !== 'number' || typeof e.nonce !== 'string' || typeof e.sig !== 'string' || e.body === undefined) throw new SignatureError('malformed');
  if (!keyOf(key).verify(signed(JSON.stringify(e.body), e.ts, e.nonce), e.sig)) throw new SignatureError('bad-signature');
  if (Math.abs(now - e.ts) > opts.maxAgeMs) throw new SignatureError('stale');
  if (opts.replay && !opts.replay.remember(e.nonce, now)) throw new SignatureError('replayed');
  return e.body;
}

/** A URL path signed until `expires` (ms since epoch): the query carries exp and sig. */
export function signUrlPath(secret: Buffer, path: string, expires: number): string {
  const sig = createHmac('sha256', secret).update(`${path}\n${expires}`).digest('base64url');
  return `${path}?exp=${expires}&sig=${sig}`;
}

export function verifyUrlPath(secret: Buffer, path: string, exp: string | null, sig: string | null, now = Date.now()): boolean {
  if (!exp || !sig || !/^\d+$/.test(exp)) return false;
  if (Number(exp) < now) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(`${path}\n${exp}`).digest('base64url'));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}
