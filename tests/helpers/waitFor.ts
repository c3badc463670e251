/**
 * Polls `probe` until it returns something truthy and resolves with it; fails naming `what` (and the probe's last
 * error) after `timeoutMs`. For conditions that have no event to await. The machine is loaded (two cores shared by
 * several test runs): the timeout is generous and only bounds a failure, it never decides a passing outcome.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 90_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Lets the event loop go round `turns` times (each turn: pending I/O, then setImmediate callbacks). Work that is
 * already under way in this process (bytes already in a pipe or socket, a pass the scheduler deferred with
 * setImmediate, a listen already called) is done afterwards; it counts turns, never milliseconds.
 */
export async function nextTurns(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * A window during which something must NOT happen (a paused encode advancing, a closed monitor sampling). It never
 * stands in for something that must happen, so a slow machine cannot fail a correct build: it can only make the
 * check see less.
 */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
