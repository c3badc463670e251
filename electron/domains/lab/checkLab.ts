import { ChurchError } from '../../../shared/errors';
import type { LabConfig } from './config';
import { connectRedis, waitForRedis } from './redis';

const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;

/**
 * Whether a lab's Redis answers, before the studio switches to it (switching stops running jobs). A refused
 * connection or an unknown host is an answer at once; silence is one after timeoutMs; a refused login says so.
 */
export async function checkLabReachable(config: LabConfig, timeoutMs = 5000): Promise<void> {
  const host = new URL(config.url).host;
  const conn = connectRedis(config.url, 'church-studio-check');
  let onError: ((e: Error) => void) | undefined;
  try {
    await Promise.race([
      waitForRedis(conn, config.url, timeoutMs),
      new Promise((_, reject) => {
        onError = (e) => {
          const code = (e as NodeJS.ErrnoException).code ?? '';
          if (UNREACHABLE.test(code)) reject(new ChurchError('UNAVAILABLE', `the lab's Redis at ${host} cannot be reached (${code}); check the Redis URL in Settings → Lab and that Redis runs there`, { code }));
        };
        conn.on('error', onError);
      }),
    ]);
  } catch (e) {
    if (e instanceof ChurchError) throw e;
    // A reply error: NOAUTH / WRONGPASS (the user or password), NOPERM (the ACL), and the like.
    throw new ChurchError('UNAVAILABLE', `the lab's Redis at ${host} refused the studio: ${(e as Error).message}; check the ACL user and the Redis password in Settings → Lab`);
  } finally {
    if (onError) conn.off('error', onError);
    conn.disconnect();
  }
}
