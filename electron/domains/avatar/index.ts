export { AvatarService, DEFAULT_OVERLAY_SETTINGS, type AvatarDeps } from './AvatarService';
export { writeCueOverlay, type CueOverlayFiles } from './cueOverlay';
