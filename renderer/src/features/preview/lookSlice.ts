import { BUILTIN_EXPRESSIONS, BUILTIN_FACES, faceBookOf, faceImageFromBase64 } from '../../../../shared/avatar';
import { call, CallError } from '../../lib/api';
import type { LookSlice, PreviewSlice } from './previewTypes';

/** The overlay source whose face picture is loaded or loading. */
let faceSourceKey = '';

export const createLookSlice: PreviewSlice<LookSlice> = (set, get) => ({
  settings: null,
  loudness: null,
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
  setSettings: async (patch) => {
    const prev = get().settings;
    if (prev) set({ settings: { ...prev, ...patch } });
    try {
      get().applySettings(await call('avatar.setSettings', patch));
    } catch {
      set({ settings: prev });
    }
  },
});
