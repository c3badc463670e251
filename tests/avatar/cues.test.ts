import { describe, expect, it } from 'vitest';
import { avatarSegments, avatarStateAt, DEFAULT_AVATAR_STATE, orderCues, resolveCueTime, type AvatarCue } from '../../shared/avatar';

const track: AvatarCue[] = [
  { id: 'c', at: 4, say: 'later', sayForSec: 2 },
  { id: 'a', at: 1, expression: 'happy' },
  { id: 'b', at: 2, corner: 'top-left', say: 'hello' },
  { id: 'd', at: 6, expression: 'sad', say: '' },
];

describe('avatarStateAt', () => {
  it('is the default state before the first cue, for negative and non-number times', () => {
    for (const t of [0, 0.999, -1, Number.NaN, -Infinity]) expect(avatarStateAt(track, t)).toEqual(DEFAULT_AVATAR_STATE);
    expect(avatarStateAt([], 10)).toEqual(DEFAULT_AVATAR_STATE);
  });

  it('applies cues in time order whatever their order in the track, each changing only what it names', () => {
    expect(avatarStateAt(track, 1)).toEqual({ expression: 'happy', corner: null, say: null });
    expect(avatarStateAt(track, 2.5)).toEqual({ expression: 'happy', corner: 'top-left', say: 'hello' });
    expect(avatarStateAt(track, 4)).toEqual({ expression: 'happy', corner: 'top-left', say: 'later' });
  });

  it('changes exactly at a cue (a cue at t applies at t)', () => {
    expect(avatarStateAt(track, 1.9999).corner).toBeNull();
    expect(avatarStateAt(track, 2).corner).toBe('top-left');
  });

  it('expires a timed bubble, and an empty say clears the bubble', () => {
    expect(avatarStateAt(track, 5.999).say).toBe('later');
    expect(avatarStateAt(track, 6).say).toBeNull();
    expect(avatarStateAt([{ id: 'x', at: 0, say: 'hi' }, { id: 'y', at: 1, say: '' }], 1.5).say).toBeNull();
    // A later bubble without a duration is not cut by an earlier cue's expiry.
    expect(avatarStateAt([{ id: 'x', at: 0, say: 'a', sayForSec: 3 }, { id: 'y', at: 1, say: 'b' }], 5).say).toBe('b');
  });

  it('holds the last state after the last cue (times past the end of the video)', () => {
    expect(avatarStateAt(track, 1e9)).toEqual({ expression: 'sad', corner: 'top-left', say: null });
    expect(avatarStateAt(track, Infinity)).toEqual({ expression: 'sad', corner: 'top-left', say: null });
  });

  it('breaks ties at one time by track order: the later entry wins', () => {
    const tie: AvatarCue[] = [
      { id: 'first', at: 3, expression: 'angry' },
      { id: 'second', at: 3, expression: 'wink' },
    ];
    expect(avatarStateAt(tie, 3).expression).toBe('wink');
    expect(avatarStateAt([...tie].reverse(), 3).expression).toBe('angry');
    expect(orderCues(tie).map((c) => c.id)).toEqual(['first', 'second']);
  });

  it("resolves a 'now' cue to the playhead, where it applies at once and overrides a cue at that instant", () => {
    const playhead = 2;
    const live = resolveCueTime({ id: 'live', at: 'now' as const, expression: 'surprised' as const }, playhead);
    expect(live.at).toBe(2);
    const state = avatarStateAt([...track, live], playhead);
    expect(state.expression).toBe('surprised');
    expect(state.say).toBe('hello');
    expect(avatarStateAt([...track, live], playhead - 0.01).expression).toBe('happy');
    expect(resolveCueTime({ at: undefined }, 7).at).toBe(7);
    expect(resolveCueTime({ at: 3 }, 7).at).toBe(3);
    expect(resolveCueTime({ at: 'now' as const }, -2).at).toBe(0);
  });
});

describe('avatarSegments', () => {
  it('cuts the track into runs of one state that agree with avatarStateAt everywhere', () => {
    const segs = avatarSegments(track, 10);
    expect(segs.map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
      [4, 6],
      [6, 10],
    ]);
    for (let t = 0; t < 10; t += 0.05) {
      const seg = segs.find((s) => s.start <= t && t < s.end)!;
      expect(seg.state).toEqual(avatarStateAt(track, t));
    }
  });

  it('merges cues that change nothing, clips to the duration, and is empty for no duration', () => {
    const same: AvatarCue[] = [
      { id: 'a', at: 0, expression: 'happy' },
      { id: 'b', at: 1, expression: 'happy' },
      { id: 'c', at: 50, expression: 'sad' },
    ];
    expect(avatarSegments(same, 5)).toEqual([{ start: 0, end: 5, state: { expression: 'happy', corner: null, say: null } }]);
    expect(avatarSegments(same, 0)).toEqual([]);
    expect(avatarSegments(same, Number.NaN)).toEqual([]);
  });
});
