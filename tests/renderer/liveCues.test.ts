import { describe, expect, it } from 'vitest';
import type { AvatarCue } from '../../shared/avatar';
import { appendLiveCue, MAX_UNSAVED_LIVE_CUES } from '../../renderer/src/features/preview/liveCues';

const live = (n: number): AvatarCue => ({ id: `live-${n}`, at: n, expression: 'happy' });

describe('live cues in the preview draft', () => {
  it('keeps only the newest unsaved live cues, and never drops saved or hand-made ones', () => {
    const own: AvatarCue = { id: 'mine', at: 0, say: 'hand-made' };
    const savedLive = live(0);
    let draft: AvatarCue[] = [own, savedLive];
    const saved = new Set(['mine', savedLive.id]);
    for (let i = 1; i <= 500; i++) draft = appendLiveCue(draft, live(i), saved);
    expect(draft).toHaveLength(2 + MAX_UNSAVED_LIVE_CUES);
    expect(draft.slice(0, 2)).toEqual([own, savedLive]);
    expect(draft.at(-1)!.id).toBe('live-500');
    expect(draft[2]!.id).toBe(`live-${500 - MAX_UNSAVED_LIVE_CUES + 1}`);
  });

  it('adds a cue as is while under the limit', () => {
    expect(appendLiveCue([live(1)], live(2), new Set())).toEqual([live(1), live(2)]);
  });
});
