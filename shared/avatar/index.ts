/** The avatar shared by the live preview (renderer) and the baked overlay (main): model, timing, drawing. */
export * from './cues';
export { drawAvatar, avatarLayout, wrapBubbleText } from './drawAvatar';
export { hasGlyph } from './font5x7';
export * from './placement';
