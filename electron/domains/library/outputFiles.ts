import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';

/** True when `target` is `base` itself or lies inside it (lexically). */
function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The file behind `asset/<outputId>[/<file>]` for a registered output, or null.
 *
 * A single-file output sits in a folder the user chose (often a home folder), so that folder is NOT the output:
 * it serves only itself, plus, for a sprite sheet, its WebVTT companion of the same stem next to it (the job
 * engine writes `sprite.jpg` and `sprite.vtt` side by side and registers the image). Only folder outputs
 * (HLS, ladder) serve files inside them, resolved inside that folder — also after following symlinks, so a link
 * planted in the folder cannot point the protocol elsewhere.
 */
export function resolveOutputFile(outputPath: string, kind: string, file: string | undefined): string | null {
  let isDir: boolean;
  try {
    isDir = statSync(outputPath).isDirectory();
  } catch {
    return null;
  }
  if (!isDir) {
    if (file === undefined || file === basename(outputPath)) return outputPath;
    if (kind !== 'sprite') return null;
    const companion = `${basename(outputPath, extname(outputPath))}.vtt`;
    if (file !== companion) return null;
    const vtt = join(dirname(outputPath), companion);
    return existsSync(vtt) ? vtt : null;
  }
  if (file === undefined) return null;
  const base = resolve(outputPath);
  const target = resolve(base, file);
  if (!inside(base, target)) return null;
  try {
    const realBase = realpathSync(base);
    const realTarget = realpathSync(target);
    if (!inside(realBase, realTarget) || !statSync(realTarget).isFile()) return null;
    return realTarget;
  } catch {
    return null;
  }
}
