import type { McpConfig } from '../../shared/contract/mcp';

/** Sliding one-minute window per tool. `now` is injectable so the window is testable without waiting. */
export function createRateLimiter(config: McpConfig, now: () => number = () => Date.now()) {
  const calls = new Map<string, number[]>();
  return {
    /** Records the call if allowed; otherwise says how long until the next one is. */
    take(tool: string): { ok: true } | { ok: false; retryAfterMs: number; limit: number } {
      const limit = config.perMinute[tool] ?? config.defaultPerMinute;
      const t = now();
      const recent = (calls.get(tool) ?? []).filter((x) => t - x < 60_000);
      if (recent.length >= limit) {
        calls.set(tool, recent);
        return { ok: false, limit, retryAfterMs: recent.length ? 60_000 - (t - recent[0]!) : 60_000 };
      }
      recent.push(t);
      calls.set(tool, recent);
      return { ok: true };
    },
  };
}
