export { LibraryStore, defaultTitle, type LibraryOptions, type MediaFacts } from './LibraryStore';
export type { ImportOptions } from './importer';
export { oshashOf, fingerprintFile, FINGERPRINT_CHUNK } from './fingerprint';
export { walkMedia, isMediaName, MEDIA_EXTENSIONS, type FoundFile } from './walk';
export { buildSearch, ftsQuery, normaliseTag, SORT_EXPR, type SearchSpec } from './searchQuery';
export { assetDir, assetState, ensureAssets, generatePoster, generateSprite, POSTER_FILE, SPRITE_FILE, SPRITE_VTT } from './assets';
export { parseMoov, readMp4Header } from './mp4Header';
export { readFileFacts, probeForLibrary } from './quickProbe';
