/** Waits `ms`, or rejects at once with the signal's reason when it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Spaces requests so they never exceed `perSecond` (Stripe's read limit is 100/s live and 25/s in test mode;
 * the default stays well below). Requests are sequential, so an even spacing is the whole limiter.
 */
export class RequestPacer {
  private next = 0;
  constructor(private readonly perSecond: number) {}

  async wait(signal?: AbortSignal): Promise<void> {
    const gap = 1000 / this.perSecond;
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + gap;
    if (at > now) await sleep(at - now, signal);
  }
}
