import { create } from 'zustand';
import { call, CallError } from '../../lib/api';
import { createCueSlice } from './cueSlice';
import { createLookSlice } from './lookSlice';
import type { PreviewSlice, PreviewState, VideoSlice } from './previewTypes';

export { isDirty } from './cueSlice';
export type { PlaySource } from './previewTypes';

/** Fetches the loudness track that drives the mouth (measured once per file in main). */
export async function loadLoudness(videoId: number): Promise<void> {
  try {
    const loudness = await call('avatar.loudness', { videoId }, { quiet: true });
    if (usePreview.getState().videoId === videoId) usePreview.setState({ loudness });
  } catch {
    // Without the track the mouth follows only the cues' speech spans.
  }
}

const createVideoSlice: PreviewSlice<VideoSlice> = (set, get) => ({
  videoId: null,
  video: null,
  error: null,
  presets: [],
  source: { kind: 'original' },
  time: 0,
  load: async (videoId) => {
    void get().loadExpressions();
    set({ videoId, video: null, error: null, source: { kind: 'original' }, savedCues: [], cues: [], selectedId: null, time: 0, loudness: null });
    try {
      const [video, track, settings] = await Promise.all([
        call('library.get', { id: videoId }, { quiet: true }),
        call('avatar.getTrack', { videoId }, { quiet: true }),
        call('avatar.getSettings', {}, { quiet: true }),
      ]);
      if (get().videoId !== videoId) return;
      set({ video, savedCues: track.cues, cues: track.cues });
      get().applySettings(settings);
    } catch (e) {
      if (get().videoId === videoId) set({ error: e instanceof CallError ? e.message : 'the video could not be loaded' });
    }
    try {
      const presets = await call('jobs.presets', {}, { quiet: true });
      set({ presets: presets.presets });
    } catch {
      // The queue buttons stay hidden; the rest of the detail works.
    }
  },
  reloadVideo: async () => {
    const id = get().videoId;
    if (id === null) return;
    try {
      const video = await call('library.get', { id }, { quiet: true });
      if (get().videoId === id) set({ video });
    } catch {
      // keep what is shown
    }
  },
  setSource: (source) => set({ source }),
  setTime: (time) => set({ time }),
});

/** The open video's preview: the video slice joined with its avatar cue track and the avatar's look. */
export const usePreview = create<PreviewState>()((...a) => ({
  ...createVideoSlice(...a),
  ...createCueSlice(...a),
  ...createLookSlice(...a),
}));
