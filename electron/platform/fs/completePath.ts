import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { PathCompletion } from '../../../shared/dto/system';

const MOST = 200;

function isFolder(dir: string, d: Dirent): boolean {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, d.name)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * What a typed path could go on to: the entries of its folder whose names start with what follows the last
 * slash (folders first, then files ending in one of `extensions`). Hidden entries only when the typed name starts
 * with a dot; `foldersOnly`: no files at all (the import field). A path that is not absolute, or a folder that
 * cannot be read, completes to nothing.
 */
export function completePath(typed: string, extensions: string[] = [], foldersOnly = false): PathCompletion {
  if (!isAbsolute(typed)) return { dir: '', entries: [] };
  const dir = typed.endsWith('/') ? typed : dirname(typed);
  const prefix = typed.endsWith('/') ? '' : basename(typed);
  let found: Dirent[];
  try {
    found = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { dir, entries: [] };
  }
  const wanted = extensions.map((e) => e.toLowerCase());
  const entries = found
    .filter((d) => d.name.startsWith(prefix) && (prefix.startsWith('.') || !d.name.startsWith('.')))
    .map((d) => ({ name: d.name, path: join(dir, d.name), folder: isFolder(dir, d) }))
    .filter((e) => e.folder || (!foldersOnly && (wanted.length === 0 || wanted.some((x) => e.name.toLowerCase().endsWith(x)))))
    .sort((a, b) => Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name))
    .slice(0, MOST);
  return { dir, entries };
}
