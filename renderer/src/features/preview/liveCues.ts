import type { AvatarCue } from '../../../../shared/avatar';

/** Unsaved cues pushed live that the draft keeps (the newest); older ones were seen and are let go. */
export const MAX_UNSAVED_LIVE_CUES = 50;

/**
 * Adds a live cue to the draft. An agent steering the avatar for an hour must not bury the draft under thousands
 * of unsaved cues (nor push a later Save past the track limit): only the newest unsaved live cues stay.
 */
export function appendLiveCue(draft: AvatarCue[], cue: AvatarCue, savedIds: ReadonlySet<string>, max = MAX_UNSAVED_LIVE_CUES): AvatarCue[] {
  const next = [...draft, cue];
  const unsavedLive = next.filter((c) => c.id.startsWith('live-') && !savedIds.has(c.id));
  if (unsavedLive.length <= max) return next;
  const drop = new Set(unsavedLive.slice(0, unsavedLive.length - max).map((c) => c.id));
  return next.filter((c) => !drop.has(c.id));
}
