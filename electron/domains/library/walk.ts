import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** Extensions walked in folders. A file named explicitly is probed whatever its name. */
export const MEDIA_EXTENSIONS = new Set([
  '.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.m2ts', '.mts', '.ts', '.3gp', '.ogv', '.vob', '.divx', '.asf',
  '.mp3', '.m4a', '.aac', '.wav', '.flac', '.ogg', '.opus', '.wma',
]);

export function isMediaName(name: string): boolean {
  return MEDIA_EXTENSIONS.has(extname(name).toLowerCase());
}

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** dev:ino, the identity of the file whatever path reached it. */
  key: string;
  /** The library root (as given) the file was found under; null for a file named on its own. */
  root: string | null;
}

export interface WalkStats {
  /** Paths that led to a file or folder already reached (hard link, symlink, overlapping roots, cycles). */
  repeats: number;
  /** Folders or entries that could not be read, with why. */
  unreadable: { path: string; reason: string }[];
}

function identity(s: Stats): string {
  return `${s.dev}:${s.ino}`;
}

/**
 * Walks files and folders, following symlinks but visiting every folder and file once by its identity
 * (dev + inode): a symlink cycle ends, a hard link or a second path to the same file is counted as a repeat.
 * Yields media files as it finds them, so probing can start before the walk ends.
 */
export async function* walkMedia(paths: readonly string[], signal?: AbortSignal, statsOut?: WalkStats): AsyncGenerator<FoundFile> {
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const stats: WalkStats = statsOut ?? { repeats: 0, unreadable: [] };

  async function* visitDir(dir: string, root: string): AsyncGenerator<FoundFile> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      stats.unreadable.push({ path: dir, reason: `folder cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (signal?.aborted) return;
      if (entry.name.startsWith('.')) continue; // hidden files and folders: thumbnails caches, .Trash, .git
      const full = join(dir, entry.name);
      if (entry.isFile() && !isMediaName(entry.name)) continue;
      if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
      let s: Stats;
      try {
        s = await stat(full); // follows symlinks: a link to a folder is walked, a dangling one skipped
      } catch (e) {
        if (entry.isSymbolicLink()) continue;
        stats.unreadable.push({ path: full, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
        continue;
      }
      if (s.isDirectory()) {
        const id = identity(s);
        if (seenDirs.has(id)) {
          stats.repeats++;
          continue;
        }
        seenDirs.add(id);
        yield* visitDir(full, root);
      } else if (s.isFile()) {
        if (!isMediaName(entry.name)) continue;
        const id = identity(s);
        if (seenFiles.has(id)) {
          stats.repeats++;
          continue;
        }
        seenFiles.add(id);
        yield { path: full, size: s.size, mtimeMs: Math.trunc(s.mtimeMs), key: id, root };
      }
    }
  }

  for (const given of paths) {
    if (signal?.aborted) return;
    const p = resolve(given);
    let s: Stats;
    try {
      s = await stat(p);
    } catch (e) {
      stats.unreadable.push({ path: p, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    const id = identity(s);
    if (s.isDirectory()) {
      if (seenDirs.has(id)) {
        stats.repeats++;
        continue;
      }
      seenDirs.add(id);
      yield* visitDir(p, p);
    } else if (s.isFile()) {
      if (seenFiles.has(id)) {
        stats.repeats++;
        continue;
      }
      seenFiles.add(id);
      yield { path: p, size: s.size, mtimeMs: Math.trunc(s.mtimeMs), key: id, root: null };
    }
  }
}
