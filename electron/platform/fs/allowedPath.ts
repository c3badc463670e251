import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ChurchError } from '../../../shared/errors';

/**
 * Paths an agent may name: only inside the library roots and the output folder, after resolving symlinks and "..",
 * so `/library/../etc` or a symlink out of a root is refused like any other path.
 */
export function checkAllowedPath(candidate: string, allowedRoots: readonly string[]): string {
  if (!isAbsolute(candidate)) throw new ChurchError('FORBIDDEN', `"${candidate}" is not an absolute path; name a folder inside a library root or the output folder`);
  const real = realOrParent(resolve(candidate));
  for (const root of allowedRoots) {
    if (!existsSync(root)) continue;
    const r = realpathSync(root);
    const rel = relative(r, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'))) return real;
  }
  throw new ChurchError('FORBIDDEN', `"${candidate}" is outside the library roots and the output folder; tools only read and write there`);
}

/** The real path of the file, or of its nearest existing parent for a file still to be written. */
function realOrParent(p: string): string {
  let dir = p;
  const rest: string[] = [];
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return p;
    rest.unshift(dir.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    dir = parent;
  }
  return [realpathSync(dir), ...rest].join(sep);
}
