import { create } from 'zustand';
import { BUILTIN_EXPRESSIONS, BUILTIN_FACES, faceBookOf, faceImageFromBase64, type FaceImage, orderCues, type AvatarCue, type ExpressionDef, type FaceBook, type LoudnessTrack } from '../../../../shared/avatar';
import type { CueTrack, LiveCueEvent, OverlaySettings } from '../../../../shared/dto/avatar';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import type { VideoDetail } from '../../../../shared/dto/library';
import { useToasts } from '../../lib/stores/toasts';
import { appendLiveCue } from './liveCues';
import { call, CallError } from '../../lib/api';

/** What the player plays: the original, or one of the video's derived outputs. */
export type PlaySource = { kind: 'original' } | { kind: 'output'; outputId: number };

interface PreviewState {
  videoId: number | null;
  video: VideoDetail | null;
  error: string | null;
  presets: PresetInfo[];
  source: PlaySource;
  /** The track as saved in main. */
  savedCues: AvatarCue[];
  /** The track the overlay follows: saved cues plus edits and live cues not saved yet. */
  cues: AvatarCue[];
  selectedId: string | null;
  settings: OverlaySettings | null;
  /** The video's loudness track while lip sync is on (the same numbers the bake uses). */
  loudness: LoudnessTrack | null;
  /** The player's position as last reported (the editor adds cues here). */
  time: number;
  /** The expressions cues may name (built-ins and the user's files) and their faces, for drawing. */
  expressions: ExpressionDef[];
  faces: FaceBook;
  loadExpressions(): Promise<void>;
  /** The face picture of the overlay's source (null: the built-in face), the same pixels the bake uses. */
  faceImage: FaceImage | null;
  /** Why the picture could not be had (shown beside "Drawn from"). */
  faceImageError: string | null;
  loadFaceImage(): Promise<void>;
  applySettings(settings: OverlaySettings): void;
  load(videoId: number): Promise<void>;
  reloadVideo(): Promise<void>;
  setSource(source: PlaySource): void;
  setTime(t: number): void;
  addCue(cue: Omit<AvatarCue, 'id'>): void;
  updateCue(id: string, patch: Partial<Omit<AvatarCue, 'id'>>): void;
  deleteCue(id: string): void;
  select(id: string | null): void;
  save(): Promise<void>;
  revert(): void;
  applyLive(ev: LiveCueEvent, playhead: number): void;
  applyTrack(track: CueTrack): void;
  setSettings(patch: Partial<Omit<OverlaySettings, 'source'>> & { source?: OverlaySettings['source'] }): Promise<void>;
}

let nextLocal = 0;
/** The overlay source whose face picture is loaded or loading. */
let faceSourceKey = '';
const localId = () => `cue-${Date.now().toString(36)}-${(nextLocal++).toString(36)}`;

export function isDirty(s: Pick<PreviewState, 'cues' | 'savedCues'>): boolean {
  return JSON.stringify(s.cues) !== JSON.stringify(s.savedCues);
}

/** Fetches the loudness track that drives the mouth (measured once per file in main). */
export async function loadLoudness(videoId: number): Promise<void> {
  try {
    const loudness = await call('avatar.loudness', { videoId }, { quiet: true });
    if (usePreview.getState().videoId === videoId) usePreview.setState({ loudness });
  } catch {
    // Without the track the mouth follows only the cues' speech spans.
  }
}

export const usePreview = create<PreviewState>((set, get) => ({
  videoId: null,
  video: null,
  error: null,
  presets: [],
  source: { kind: 'original' },
  savedCues: [],
  cues: [],
  selectedId: null,
  settings: null,
  loudness: null,
  time: 0,
  expressions: [...BUILTIN_EXPRESSIONS],
  faces: BUILTIN_FACES,
  faceImage: null,
  faceImageError: null,
  loadFaceImage: async () => {
    const source = get().settings?.source;
    if (!source || source.kind === 'builtin') return set({ faceImage: null, faceImageError: null });
    try {
      const p = await call('avatar.facePicture', {}, { quiet: true });
      if (JSON.stringify(get().settings?.source) === JSON.stringify(source)) set({ faceImage: p ? faceImageFromBase64(p.size, p.rgbaBase64) : null, faceImageError: null });
    } catch (e) {
      set({ faceImage: null, faceImageError: e instanceof CallError ? e.message : 'the face picture could not be loaded' });
    }
  },
  applySettings: (settings) => {
    set({ settings });
    // Compared with the source the picture was fetched for (the settings themselves change optimistically).
    const key = JSON.stringify(settings.source);
    if (key !== faceSourceKey) {
      faceSourceKey = key;
      void get().loadFaceImage();
    }
  },
  loadExpressions: async () => {
    try {
      const list = await call('avatar.expressions', {}, { quiet: true });
      set({ expressions: list.expressions, faces: faceBookOf(list.expressions) });
    } catch {
      // The built-ins stay; a user expression draws as neutral until the list loads.
    }
  },
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
  setSettings: async (patch) => {
    const prev = get().settings;
    if (prev) set({ settings: { ...prev, ...patch } });
    try {
      get().applySettings(await call('avatar.setSettings', patch));
    } catch {
      set({ settings: prev });
    }
  },
}));
