import { describe, expect, it } from 'vitest';
import { AVATAR_EXPRESSIONS, drawAvatar, drawOverlayFrame, placeAvatar, wrapBubbleText, DEFAULT_OVERLAY_LOOK, type AvatarState } from '../../shared/avatar';

const base: AvatarState = { expression: 'neutral', corner: null, say: null };

function diffPixels(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) n++;
  return n;
}

describe('drawAvatar', () => {
  it('is deterministic: the same state and size give the same bytes', () => {
    const a = drawAvatar({ ...base, say: 'Hello, lab!' }, 120, 120);
    const b = drawAvatar({ ...base, say: 'Hello, lab!' }, 120, 120);
    expect(a.length).toBe(120 * 120 * 4);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('draws every expression differently', () => {
    const pics = AVATAR_EXPRESSIONS.map((expression) => drawAvatar({ ...base, expression }, 96, 96));
    for (let i = 0; i < pics.length; i++) {
      for (let j = i + 1; j < pics.length; j++) expect(diffPixels(pics[i]!, pics[j]!), `${AVATAR_EXPRESSIONS[i]} vs ${AVATAR_EXPRESSIONS[j]}`).toBeGreaterThan(20);
    }
  });

  it('is transparent around the face and opaque in its middle', () => {
    const px = drawAvatar(base, 100, 100);
    const alpha = (x: number, y: number) => px[(y * 100 + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(99, 99)).toBe(0);
    expect(alpha(50, 66)).toBe(255);
  });

  it('draws the bubble only when there is something to say, and its text changes its pixels', () => {
    const quiet = drawAvatar(base, 120, 120);
    const hi = drawAvatar({ ...base, say: 'HI' }, 120, 120);
    const bye = drawAvatar({ ...base, say: 'BYE' }, 120, 120);
    const bubbleAlpha = (px: Uint8ClampedArray) => px[(Math.round(120 * 0.1) * 120 + 60) * 4 + 3];
    expect(bubbleAlpha(quiet)).toBe(0);
    expect(bubbleAlpha(hi)).toBe(255);
    expect(diffPixels(hi, bye)).toBeGreaterThan(10);
  });

  it('draws only the bubble when the face comes from the owner\'s own picture', () => {
    const bubbleOnly = drawAvatar({ ...base, say: 'HI' }, 120, 120, { face: false });
    const faceAlpha = (px: Uint8ClampedArray) => px[(Math.round(120 * 0.66) * 120 + 60) * 4 + 3];
    expect(faceAlpha(bubbleOnly)).toBe(0);
    expect(bubbleOnly[(Math.round(120 * 0.1) * 120 + 60) * 4 + 3]).toBe(255);
    expect(drawAvatar(base, 50, 50, { face: false }).every((v) => v === 0)).toBe(true);
  });

  it('wraps bubble text into lines that fit and marks what was cut', () => {
    expect(wrapBubbleText('hello there lab owner', 11, 3)).toEqual(['hello there', 'lab owner']);
    expect(wrapBubbleText('abcdefghijkl', 5, 3)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapBubbleText('one two three four five six', 7, 2)).toEqual(['one two', 'three..']);
    expect(wrapBubbleText('anything', 0, 2)).toEqual([]);
  });
});

describe('placement', () => {
  it('puts the box in the chosen corner with the margin, the cue corner overriding the setting', () => {
    const look = { ...DEFAULT_OVERLAY_LOOK, sizePct: 25, marginPct: 5, corner: 'bottom-right' as const };
    expect(placeAvatar(look, base, 640, 480)).toEqual({ corner: 'bottom-right', x: 640 - 24 - 120, y: 480 - 24 - 120, size: 120 });
    expect(placeAvatar(look, { ...base, corner: 'top-left' }, 640, 480)).toEqual({ corner: 'top-left', x: 24, y: 24, size: 120 });
  });

  it('bakes opacity into the alpha channel of a whole transparent frame', () => {
    const look = { ...DEFAULT_OVERLAY_LOOK, sizePct: 50, marginPct: 0, corner: 'top-left' as const, opacity: 0.5 };
    const frame = drawOverlayFrame(look, base, 200, 100);
    const p = placeAvatar(look, base, 200, 100);
    const centre = ((p.y + Math.round(p.size * 0.66)) * 200 + p.x + p.size / 2) * 4;
    expect(frame[centre + 3]).toBe(128);
    expect(frame[(99 * 200 + 199) * 4 + 3]).toBe(0);
  });
});
