import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';

/**
 * Short-lived signed media URLs for browser mode: `/media/~<exp>.<sig>/<kind>/<id>[/file]`. The signature covers
 * the expiry and the library item (kind and id), not the file inside it, so an HLS playlist's relative segment
 * URLs stay under the same signed prefix. Shared by the renderer (which signs) and the server (which checks);
 * synchronous so a `src` can be built during render.
 */
export const MEDIA_URL_WINDOW_SEC = 3600;

const enc = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The key that signs media URLs, derived from the browser token: it can read media, nothing else. */
export function mediaKeyFromToken(token: string): Uint8Array {
  return hmac(sha256, enc.encode(token), enc.encode('church-media-v1'));
}

export function mediaSignature(key: Uint8Array, exp: number, kind: string, id: number): string {
  return base64url(hmac(sha256, key, enc.encode(`${exp}/${kind}/${id}`)).subarray(0, 16));
}

/**
 * Expiry rounded up to the next whole window plus one, so a URL stays the same across renders (the browser's
 * cache and a playing <video> keep working) and is valid between one and two windows.
 */
export function mediaExpiry(nowMs: number): number {
  return (Math.floor(nowMs / 1000 / MEDIA_URL_WINDOW_SEC) + 2) * MEDIA_URL_WINDOW_SEC;
}

export function signedMediaPath(key: Uint8Array, kind: string, id: number, file: string | undefined, nowMs: number): string {
  const exp = mediaExpiry(nowMs);
  return `/media/~${exp}.${mediaSignature(key, exp, kind, id)}/${kind}/${id}${file ? `/${file}` : ''}`;
}

/** Splits `~<exp>.<sig>/<rest>` off a media path; null when the path has no signature prefix. */
export function splitSignedPrefix(path: string): { exp: number; sig: string; rest: string } | null {
  const m = /^~(\d{1,12})\.([A-Za-z0-9_-]{1,64})\/(.*)$/.exec(path);
  return m ? { exp: Number(m[1]), sig: m[2]!, rest: m[3]! } : null;
}
