import type { Redis } from 'ioredis';
import { nonceTtlMs } from './limits';
import { envelopeKey, nonceKey } from './names';
import { NonceCache } from './signing';

/**
 * The nonces one reader has acted on, in its memory and in Redis (`SET NX` with a TTL of twice the messages'
 * maximum age): a message replayed after the reader restarts is still a replay. Memory alone forgot them at
 * every restart; Redis alone would forget them if someone deleted the keys, so both are asked.
 */
export class PersistentNonces {
  private readonly memory: NonceCache;

  constructor(private readonly redis: Redis, private readonly reader: string, private readonly maxAgeMs: number) {
    this.memory = new NonceCache(maxAgeMs);
  }

  /** True the first time this reader sees the nonce; false for a replay. Throws when Redis cannot record it. */
  async claim(nonce: string, now = Date.now()): Promise<boolean> {
    if (!this.memory.remember(nonce, now)) return false;
    const set = await this.redis.set(nonceKey(this.reader, nonce), String(now), 'PX', nonceTtlMs(this.maxAgeMs), 'NX');
    return set === 'OK';
  }
}

export type EnvelopeClaim = 'first' | 'takeover' | 'replayed';

/**
 * A job envelope is used once: the first agent to open it records `taken:<bullId>` under its nonce; the only
 * second opening allowed is BullMQ handing the same job to another agent after the first stalled (the job's
 * stalled counter says so). Once the job ended the record says `done`, and the envelope opens nothing again.
 */
export async function claimEnvelope(redis: Redis, nonce: string, bullId: string, stalled: boolean, ttlMs: number): Promise<EnvelopeClaim> {
  const key = envelopeKey(nonce);
  if ((await redis.set(key, `taken:${bullId}`, 'PX', ttlMs, 'NX')) === 'OK') return 'first';
  return stalled && (await redis.get(key)) === `taken:${bullId}` ? 'takeover' : 'replayed';
}

/** The envelope's job ended here (done, failed or cancelled): a copy of it is a replay from now on. */
export async function retireEnvelope(redis: Redis, nonce: string, bullId: string, ttlMs: number): Promise<void> {
  await redis.set(envelopeKey(nonce), `done:${bullId}`, 'PX', ttlMs);
}
