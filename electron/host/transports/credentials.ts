import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../handlers/types';

/** Callers that attach to a running studio with a credential of their own (not the browser page's token). */
export type AttachActor = 'cli' | 'mcp';

export const ATTACH_ACTORS: readonly AttachActor[] = ['cli', 'mcp'];

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The token of one attach actor, derived from the studio's attach key (kept in the owner-only instance file).
 * The actor recorded in the audit log follows from which token was presented, never from what the client says.
 */
export function attachToken(attachKey: string, actor: AttachActor): string {
  return createHmac('sha256', attachKey).update(`church-attach-v1:${actor}`).digest('base64url');
}

export function sameSecret(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Which caller a presented token belongs to: the browser page ('web'), the CLI or MCP; null for none. */
export function actorForToken(presented: string | null, creds: { webToken: string; attachKey: string }): Actor | null {
  if (!presented) return null;
  if (sameSecret(presented, creds.webToken)) return 'web';
  for (const a of ATTACH_ACTORS) if (sameSecret(presented, attachToken(creds.attachKey, a))) return a;
  return null;
}
