/** The avatar shared by the live preview (renderer) and the baked overlay (main): model, timing, drawing. */
export * from './cues';
export * from './animate';
export * from './loudness';
export { drawAvatar, avatarLayout, wrapBubbleText, type DrawOptions } from './drawAvatar';
export { loadBubbleFonts, bubbleFontsLoaded, layoutBubbleText } from './bubbleText';
export { hasGlyph } from './font5x7';
export * from './placement';
export * from './frameDraw';
export * from './expressions';
export * from './faceImage';
