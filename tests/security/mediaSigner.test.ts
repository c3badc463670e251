import { describe, expect, it } from 'vitest';
import { createMediaSigner, MEDIA_URL_WINDOW_SEC, mediaKeyFromToken, splitSignedPrefix } from '../../shared/mediaSignature';

describe('signed media URLs in the page', () => {
  it('keeps one URL per item until it nears expiry, so a playing video is not restarted by a re-render', () => {
    let t = Date.UTC(2026, 0, 1, 10, 59, 0);
    const sign = createMediaSigner(mediaKeyFromToken('token'), () => t);
    const first = sign('video', 12);
    t += 30 * 60_000; // a window boundary passes
    expect(sign('video', 12)).toBe(first);
    expect(sign('video', 13)).not.toBe(first);
    const exp = splitSignedPrefix(first.slice('/media/'.length))!.exp;
    // While more than half a window is left the same URL is handed out; after that a fresh one, valid for longer.
    t = (exp - MEDIA_URL_WINDOW_SEC / 2 - 1) * 1000;
    expect(sign('video', 12)).toBe(first);
    t = (exp - MEDIA_URL_WINDOW_SEC / 2 + 1) * 1000;
    const next = sign('video', 12);
    expect(next).not.toBe(first);
    expect(splitSignedPrefix(next.slice('/media/'.length))!.exp).toBeGreaterThan(exp);
  });
});
