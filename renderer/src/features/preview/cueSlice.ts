import { orderCues, type AvatarCue } from '../../../../shared/avatar';
import { call } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';
import { appendLiveCue } from './liveCues';
import type { CueSlice, PreviewState, PreviewSlice } from './previewTypes';

let nextLocal = 0;
const localId = () => `cue-${Date.now().toString(36)}-${(nextLocal++).toString(36)}`;

export function isDirty(s: Pick<PreviewState, 'cues' | 'savedCues'>): boolean {
  return JSON.stringify(s.cues) !== JSON.stringify(s.savedCues);
}

export const createCueSlice: PreviewSlice<CueSlice> = (set, get) => ({
  savedCues: [],
  cues: [],
  selectedId: null,
  addCue: (cue) => {
    const id = localId();
    set({ cues: [...get().cues, { ...cue, id }], selectedId: id });
  },
  updateCue: (id, patch) =>
    set({
      cues: get().cues.map((c) => {
        if (c.id !== id) return c;
        const next: AvatarCue = { ...c, ...patch };
        // An emptied optional field means "do not change it": drop the key rather than store undefined.
        for (const k of Object.keys(next) as (keyof AvatarCue)[]) if (next[k] === undefined) delete next[k];
        return next;
      }),
    }),
  deleteCue: (id) => set({ cues: get().cues.filter((c) => c.id !== id), selectedId: get().selectedId === id ? null : get().selectedId }),
  select: (selectedId) => set({ selectedId }),
  save: async () => {
    const { videoId, cues } = get();
    if (videoId === null) return;
    try {
      const track = await call('avatar.saveTrack', { videoId, cues: orderCues(cues) });
      set({ savedCues: track.cues, cues: track.cues });
      useToasts.getState().push({ level: 'success', message: `Cue track saved (${track.cues.length} cue${track.cues.length === 1 ? '' : 's'})` });
    } catch {
      // call() showed why
    }
  },
  revert: () => set({ cues: get().savedCues, selectedId: null }),
  applyLive: (ev, playhead) => {
    const { videoId, cues, savedCues } = get();
    if (videoId === null || (ev.videoId !== null && ev.videoId !== videoId)) return;
    if (cues.some((c) => c.id === ev.cue.id)) return;
    // A user expression added since the list was read: fetch it (the overlay redraws when it arrives).
    if (ev.cue.expression !== undefined && !get().faces.has(ev.cue.expression)) void get().loadExpressions();
    const { afterSec, ...sent } = ev.cue;
    const cue: AvatarCue = { ...sent, at: sent.at === 'now' ? playhead + (afterSec ?? 0) : sent.at };
    // A saved cue is part of the saved track already; an unsaved one is a draft change the owner may keep.
    const nextSaved = ev.saved && !savedCues.some((c) => c.id === cue.id) ? [...savedCues, cue] : savedCues;
    set({ cues: appendLiveCue(cues, cue, new Set(nextSaved.map((c) => c.id))), savedCues: nextSaved });
  },
  applyTrack: (track) => {
    const s = get();
    if (track.videoId !== s.videoId) return;
    if (!isDirty(s)) return set({ savedCues: track.cues, cues: track.cues });
    // Keep local edits; take cues saved elsewhere (an agent) that are new here.
    const known = new Set(s.cues.map((c) => c.id));
    set({ savedCues: track.cues, cues: [...s.cues, ...track.cues.filter((c) => !known.has(c.id))] });
  },
});
