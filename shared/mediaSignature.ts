import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';

/**
 * Short-lived signed media URLs for browser mode: `/media/~<exp>.<sig>/<kind>/<id>[/file]`. The signature covers
 * the expiry and the library item (kind and id), not the file inside it, so an HLS playlist's relative segment
 * URLs stay under the same signed prefix. Shared by the renderer (which signs) and the server (which checks);
 * synchronous so a `src` can be built during render.
 */
/** A URL is valid for between one and two of these windows (two to four hours): a long video plays to its end. */
export const MEDIA_URL_WINDOW_SEC = 2 * 3600;
/**
 * The server refuses an expiry further ahead than this (four hours and a minute for clocks): whoever holds the key
 * could sign one for the year 33658, and a leaked URL must stop working as the docs promise.
 */
export const MEDIA_URL_MAX_SEC = 2 * MEDIA_URL_WINDOW_SEC + 60;

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

export function signedMediaPath(key: Uint8Array, kind: string, id: number, file: string | undefined, nowMs: number, exp = mediaExpiry(nowMs)): string {
  return `/media/~${exp}.${mediaSignature(key, exp, kind, id)}/${kind}/${id}${file ? `/${file}` : ''}`;
}

/**
 * Signs media URLs and hands out the same URL for an item until it is close to expiry, so a re-render never
 * swaps a playing <video>'s src (which would restart it) just because a new window began.
 */
export function createMediaSigner(key: Uint8Array, now: () => number = Date.now): (kind: string, id: number, file?: string) => string {
  const issued = new Map<string, { url: string; exp: number }>();
  return (kind, id, file) => {
    const k = `${kind}/${id}/${file ?? ''}`;
    const t = now();
    const hit = issued.get(k);
    if (hit && hit.exp * 1000 - t > MEDIA_URL_WINDOW_SEC * 500) return hit.url;
    const exp = mediaExpiry(t);
    const url = signedMediaPath(key, kind, id, file, t, exp);
    issued.set(k, { url, exp });
    return url;
  };
}

/** Splits `~<exp>.<sig>/<rest>` off a media path; null when the path has no signature prefix. */
export function splitSignedPrefix(path: string): { exp: number; sig: string; rest: string } | null {
  const m = /^~(\d{1,12})\.([A-Za-z0-9_-]{1,64})\/(.*)$/.exec(path);
  return m ? { exp: Number(m[1]), sig: m[2]!, rest: m[3]! } : null;
}
