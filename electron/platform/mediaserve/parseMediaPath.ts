import { MEDIA_KINDS, type MediaKind, type MediaRef } from '../../../shared/dto/media';

export { MEDIA_KINDS, type MediaKind, type MediaRef };

const ID = /^[1-9][0-9]{0,14}$/;
const FILE_PART = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export type ParsedMediaPath = { ok: true; ref: MediaRef } | { ok: false; reason: string };

/**
 * Parses "video/12" or "asset/7/720p/index.m3u8". Anything that looks like a filesystem path — absolute,
 * drive letters, "..", backslashes, percent-encoded separators — is refused: media is addressed by id only.
 */
export function parseMediaPath(raw: string): ParsedMediaPath {
  const refuse = (why: string): ParsedMediaPath => ({ ok: false, reason: `media is addressed by library id (e.g. video/12); ${why}` });
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return refuse('the address is not valid percent-encoding');
  }
  if (path.includes('\\') || path.includes('\0') || /^[a-zA-Z]:/.test(path) || /^\/\//.test(path)) return refuse('paths are not accepted');
  const parts = path.replace(/^\/+/, '').split('/');
  const [kind, id, ...rest] = parts;
  if (!kind || !(MEDIA_KINDS as readonly string[]).includes(kind)) return refuse(`unknown kind ${JSON.stringify(kind ?? '')}`);
  if (!id || !ID.test(id)) return refuse('the id must be a positive whole number');
  if (rest.length > 2) return refuse('paths are not accepted');
  for (const part of rest) {
    if (!FILE_PART.test(part) || part.includes('..')) return refuse('paths are not accepted');
  }
  const ref: MediaRef = { kind: kind as MediaKind, id: Number(id) };
  if (rest.length) ref.file = rest.join('/');
  return { ok: true, ref };
}
