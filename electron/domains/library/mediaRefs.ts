import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaRef } from '../../../shared/dto/media';
import { assetDir, POSTER_FILE, SPRITE_FILE, SPRITE_VTT } from './assets';
import type { LibraryDb } from './libraryDb';
import { resolveOutputFile } from './outputFiles';

/**
 * Maps a media reference to a file: `video/<id>` the original, `poster/<id>`, `sprite/<id>/sprite.jpg|sprite.vtt`,
 * `asset/<outputId>[/<file in its folder>]`. Never a path outside the item's own file or folder.
 */
export function resolveMedia(lib: LibraryDb, ref: MediaRef): string | null {
  if (ref.kind === 'video') {
    if (ref.file) return null;
    const r = lib.stmt('SELECT path, missing FROM videos WHERE id = ?').get(ref.id) as { path: string; missing: number } | undefined;
    return r && r.missing === 0 ? r.path : null;
  }
  if (ref.kind === 'poster' || ref.kind === 'sprite') {
    if (!lib.assetsDir) return null;
    const r = lib.stmt('SELECT fingerprint FROM videos WHERE id = ?').get(ref.id) as { fingerprint: string } | undefined;
    if (!r?.fingerprint) return null;
    const file = generatedAsset(assetDir(lib.assetsDir, r.fingerprint), ref.kind, ref.file);
    return file && existsSync(file) ? file : null;
  }
  if (ref.kind === 'asset') {
    const r = lib.stmt('SELECT path, kind FROM derived_outputs WHERE id = ?').get(ref.id) as { path: string; kind: string } | undefined;
    return r ? resolveOutputFile(r.path, r.kind, ref.file) : null;
  }
  return null;
}

/** Only the poster, the sprite sheet and its WebVTT are served from an item's asset folder. */
function generatedAsset(dir: string, kind: 'poster' | 'sprite', file: string | undefined): string | null {
  if (kind === 'poster') return file && file !== POSTER_FILE ? null : join(dir, POSTER_FILE);
  const name = file ?? SPRITE_FILE;
  return name === SPRITE_FILE || name === SPRITE_VTT ? join(dir, name) : null;
}
