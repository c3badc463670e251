import type { StudioKeys } from './identity';
import { SignatureError, verifyMessage, type NonceCache } from './signing';

const AGENT_NAME = /^[\w.-]{1,64}$/;

/** The agent a message says it comes from, read before its signature is checked (it picks the key to check with). */
export function claimedHost(raw: unknown): string | null {
  const body = raw && typeof raw === 'object' ? (raw as { body?: unknown }).body : undefined;
  const host = body && typeof body === 'object' ? (body as { host?: unknown }).host : undefined;
  return typeof host === 'string' && AGENT_NAME.test(host) ? host : null;
}

/**
 * Checks a message an agent signed with its own key (HKDF of the lab secret and its name): the body's `host` is
 * then that agent's own word. Throws a SignatureError otherwise.
 */
export function verifyFromAgent<T extends { host: string }>(keys: StudioKeys, raw: unknown, opts: { maxAgeMs: number; replay: NonceCache | null; now?: number }): T {
  const host = claimedHost(raw);
  if (!host) throw new SignatureError('malformed');
  return verifyMessage<T>(keys.agent(host), raw, opts);
}
