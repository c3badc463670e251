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
