export { parseMediaPath, MEDIA_KINDS, type MediaKind, type MediaRef } from './parseMediaPath';
export { serveMedia, parseRange, contentTypeOf, type MediaResolver } from './serveMedia';
