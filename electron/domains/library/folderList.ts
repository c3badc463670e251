import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FolderList } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';

/** Folder names offered at once: enough to complete a path, small enough for a menu. */
const MAX_FOLDERS = 500;

/**
 * The folders inside a folder, for the import field's completion in the browser (which cannot show the system's
 * folder dialog): names only, nothing about files. Symlinks to folders count as folders.
 */
export function listFolders(path: string): FolderList {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ChurchError('NOT_FOUND', `There is no folder ${path}; check the path.`);
    throw new ChurchError('UNAVAILABLE', `The folder ${path} could not be read (${code ?? 'error'}); check its permissions.`);
  }
  const isFolder = (name: string, dir: boolean, link: boolean) => {
    if (dir) return true;
    if (!link) return false;
    try {
      return statSync(join(path, name)).isDirectory();
    } catch {
      return false; // a dangling link
    }
  };
  const names = entries
    .filter((d) => !d.name.startsWith('.') && isFolder(d.name, d.isDirectory(), d.isSymbolicLink()))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b));
  const parent = dirname(path) === path || basename(path) === '' ? null : dirname(path);
  return { path, parent, folders: names.slice(0, MAX_FOLDERS), truncated: names.length > MAX_FOLDERS };
}
