import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bubbleFontsLoaded, loadBubbleFonts } from '../../../shared/avatar';

const require = createRequire(import.meta.url);

/** The bubble's fonts, in fallback order: Nunito Bold's Latin set (with Western accents), then Latin Extended. */
export const BUBBLE_FONT_FILES = ['@fontsource/nunito/files/nunito-latin-700-normal.woff', '@fontsource/nunito/files/nunito-latin-ext-700-normal.woff'] as const;

/** Loads the bubble fonts the renderer also loads (same files), so baked text is the preview's text. */
export function ensureBubbleFonts(): void {
  if (bubbleFontsLoaded()) return;
  loadBubbleFonts(
    BUBBLE_FONT_FILES.map((f) => {
      const b = readFileSync(require.resolve(f));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }),
  );
}
