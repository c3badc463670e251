import { ChurchError } from '../../../../shared/errors';
import { Redis } from 'ioredis';
import { labCaFor } from './labCa';

/**
 * A connection that waits out a Redis restart instead of failing calls (BullMQ needs maxRetriesPerRequest null);
 * the retry delay is short so a restarted Redis is picked up within a second or two.
 */
export function connectRedis(url: string, name: string): Redis {
  const r = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (times) => Math.min(200 * times, 2000),
    ...(url.startsWith('rediss:') && labCaFor(url) ? { tls: { ca: labCaFor(url) } } : {}),
  });
  // Errors are retried by ioredis; without a listener they would be printed as unhandled.
  r.on('error', () => undefined);
  return r;
}

/** Resolves once Redis answers, or fails with what to check (a wrong host or port would otherwise wait forever). */
export async function waitForRedis(r: Redis, url: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      r.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ChurchError('UNAVAILABLE', `the lab's Redis at ${new URL(url).host} did not answer within ${Math.round(timeoutMs / 1000)} s; check that it runs and the URL`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
