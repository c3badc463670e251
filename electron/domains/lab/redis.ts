import { ChurchError } from '../../../shared/errors';
import { Redis } from 'ioredis';
import { labTlsOptions } from './labCa';

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
    ...labTlsOptions(url),
  });
  // Errors are retried by ioredis; without a listener they would be printed as unhandled.
  r.on('error', () => undefined);
  return r;
}

/** Resolves once Redis answers, or fails with what to check (a wrong host or port would otherwise wait forever). */
export async function waitForRedis(r: Redis, url: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((e: Error) => void) | undefined;
  try {
    await Promise.race([
      r.ping(),
      // ioredis retries a refused certificate forever: name it at once instead of waiting out the timeout.
      new Promise((_, reject) => {
        onError = (e) => {
          const code = (e as NodeJS.ErrnoException).code ?? '';
          if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)) {
            reject(new ChurchError('UNAVAILABLE', `the TLS certificate of the lab's Redis at ${new URL(url).host} is not trusted here (${code}); give the CA file that signed it (Settings → Lab → "CA file", or --lab-ca FILE / CHURCH_LAB_CA_FILE)`, { code }));
          }
        };
        r.on('error', onError);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ChurchError('UNAVAILABLE', `the lab's Redis at ${new URL(url).host} did not answer within ${Math.round(timeoutMs / 1000)} s; check that it runs and the URL`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onError) r.off('error', onError);
  }
}
