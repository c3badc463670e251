import { Redis } from 'ioredis';

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
  });
  // Errors are retried by ioredis; without a listener they would be printed as unhandled.
  r.on('error', () => undefined);
  return r;
}
