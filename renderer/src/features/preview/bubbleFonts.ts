import latinUrl from '@fontsource/nunito/files/nunito-latin-700-normal.woff?url';
import latinExtUrl from '@fontsource/nunito/files/nunito-latin-ext-700-normal.woff?url';
import { bubbleFontsLoaded, loadBubbleFonts } from '../../../../shared/avatar';

let loading: Promise<void> | null = null;

/**
 * The bubble's fonts: the same files, in the same order, as the main process reads for the bake
 * (electron/domains/avatar/bubbleFonts.ts), so preview and bake draw the same glyphs.
 */
export function ensureBubbleFonts(): Promise<void> {
  if (bubbleFontsLoaded()) return Promise.resolve();
  loading ??= Promise.all([latinUrl, latinExtUrl].map(async (url) => (await fetch(url)).arrayBuffer()))
    .then((files) => loadBubbleFonts(files))
    .catch(() => {
      // Without the font files the bubble falls back to the bitmap font; try again on the next video.
      loading = null;
    });
  return loading;
}
